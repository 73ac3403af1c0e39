import type { Requirement } from '../../agents/index.js';
import type { AiModule } from '../../manifest/index.js';
import { buildPlan, releaseIdFor, STEP_NAMES } from '../../plan/index.js';
import type { StepName } from '../../plan/index.js';
import { createRedactor } from '../../security/index.js';
import type { ReviewVerdict, WorkflowApproval } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { concludeReview, findingLine, judgePlan } from '../review/index.js';
import { applyFix, describeFix } from '../tier2/apply-fix.js';
import { askDiagnoser } from '../tier2/diagnose.js';
import type { StepFailure } from '../tier2/diagnose.js';
import type { WorkflowRecorder } from '../workflow/recorder.js';
import type { Attempt, AttemptFailure } from './deploy-to.js';
import type { Phase } from './events.js';
import type { TailingEvents } from './tails.js';

export interface FixContext {
  workflowId: string;
  tier: 1 | 2;
  /** 1 or 2: which fix of the workflow this is. */
  number: number;
  module: AiModule;
  attempt: Attempt & { failure: AttemptFailure };
  requirements: readonly Requirement[] | null;
  approval: WorkflowApproval | null;
  commit: string | null;
  /** The source tree on the orchestrator (what the plans upload). */
  sourceDir: string;
  events: TailingEvents;
  recorder: WorkflowRecorder;
  signal?: AbortSignal;
}

/** The retry a fix leads to: the fixed manifest, deployed again as a new release. */
export interface Retry {
  module: AiModule;
  releaseId: string;
}

const MAX_TAIL = 8000;

const phaseOf = (step: string): Phase =>
  (STEP_NAMES as readonly string[]).includes(step) ? (step as StepName) : 'verify';

function stepFailure(failure: AttemptFailure, events: TailingEvents): StepFailure {
  const step = events.tail(failure.target, phaseOf(failure.step));
  const app =
    failure.appLog === null || failure.appLog.trim() === ''
      ? ''
      : `\n--- the app's log ---\n${failure.appLog}`;
  const text = `${failure.error}\n--- the ${failure.step} step's output ---\n${step}${app}`;
  return {
    target: failure.target,
    step: failure.step,
    command: failure.command,
    exitCode: failure.exitCode,
    logTail: text.length > MAX_TAIL ? text.slice(-MAX_TAIL) : text,
  };
}

/**
 * A failed step, diagnosed. Tier 2: the fix is applied to the manifest, every target's plan is
 * built again from the facts already probed and reviewed; a fix the policy denies is recorded and
 * not applied, otherwise the workflow's recorded manifest and release move to the fixed ones (so a
 * crash or an approval resumes them) and the caller deploys again, from upload, as a new release.
 * Tier 1: the committed manifest is authoritative; the diagnosis is recorded as a suggestion.
 */
export async function diagnoseAndFix(orch: Orchestrator, ctx: FixContext): Promise<Retry | null> {
  const { failure } = ctx.attempt;
  const phase = phaseOf(failure.step);
  const say = (text: string) => ctx.events.log(failure.target, phase, 'system', `${text}\n`);
  const diagnoser = orch.agents().diagnoser;
  const diagnosis = await askDiagnoser(
    orch.store,
    diagnoser,
    {
      workflowId: ctx.workflowId,
      module: ctx.module,
      failure: stepFailure(failure, ctx.events),
      attempt: ctx.number,
    },
    ctx.signal,
  );
  const record = (verdict: ReviewVerdict | null, applied: boolean, reason = diagnosis.reason) =>
    orch.store.fixes.record({
      workflowId: ctx.workflowId,
      attempt: ctx.number,
      step: failure.step,
      target: failure.target,
      reason,
      fix: diagnosis.fix,
      verdict,
      applied,
    });
  const { fix } = diagnosis;
  say(`diagnosis ${ctx.number} (${diagnoser.provider}): ${diagnosis.reason}`);
  if (fix === null) {
    await record(null, false);
    return null;
  }
  if (ctx.tier === 1) {
    say(`suggested fix, not applied (the manifest is authoritative): ${describeFix(fix)}`);
    await record(null, false);
    return null;
  }
  let module: AiModule;
  try {
    module = applyFix(ctx.module, fix);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    say(`fix not applied: ${why}`);
    await record(null, false, `${diagnosis.reason} (not applied: ${why})`.slice(0, 1000));
    return null;
  }
  const releaseId = releaseIdFor(new Date(), ctx.commit);
  const verdicts = (
    await Promise.all(
      ctx.attempt.runs.map((run) =>
        judgePlan(
          orch.policy,
          buildPlan({ module, sourceDir: ctx.sourceDir, releaseId, target: run.plan.target }),
          run.target,
          createRedactor(Object.values(run.secrets)),
        ),
      ),
    )
  ).flat();
  const review = concludeReview({ tier: 2, verdicts, requirements: ctx.requirements });
  if (review.verdict === 'denied') {
    const denied = review.findings.find((f) => f.kind === 'denied');
    say(`fix refused by the review, not applied: ${denied === undefined ? 'denied' : findingLine(denied)}`);
    await record('denied', false);
    return null;
  }
  await record(review.verdict, true);
  say(`fix applied (${describeFix(fix)}): deploying again as release ${releaseId}`);
  await restartRecord(orch, ctx, module, releaseId);
  return { module, releaseId };
}

/**
 * The workflow now deploys the fixed manifest as a new release: the record says so before anything
 * runs, and every step is pending again, so a resume after a crash starts the new release from
 * upload instead of skipping steps the failed release had done.
 */
async function restartRecord(orch: Orchestrator, ctx: FixContext, module: AiModule, releaseId: string) {
  await ctx.recorder.flush();
  const workflow = await orch.store.workflows.get(ctx.workflowId);
  const snapshot = typeof workflow.plan === 'object' && workflow.plan !== null ? workflow.plan : {};
  await orch.store.workflows.update(ctx.workflowId, { plan: { ...snapshot, module, releaseId }, releaseId });
  for (const target of workflow.targets) {
    for (const [position, step] of STEP_NAMES.entries()) {
      await orch.store.steps.upsert({
        position,
        workflowId: ctx.workflowId,
        target,
        step,
        status: 'pending',
        startedAt: null,
        finishedAt: null,
        exitCode: null,
        error: null,
      });
    }
  }
}
