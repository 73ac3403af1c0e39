import { AutomatosError } from '../../core/index.js';
import type { Requirement } from '../../agents/index.js';
import type { Actor } from '../../exec/index.js';
import type { AiModule } from '../../manifest/index.js';
import { argv, buildPlan, renderCommand } from '../../plan/index.js';
import type { WorkflowApproval } from '../../store/index.js';
import { LOCAL_TARGET } from '../local-target.js';
import type { Orchestrator } from '../orchestrator.js';
import { targetFacts } from '../probe.js';
import type { PlanReview } from '../review/index.js';
import type { DeployLeases } from '../workflow/lease.js';
import type { DeployOutcome, RunRequest, TargetOutcome } from './deploy.js';
import { pruneReleases } from './prune.js';
import { recordVerified } from './record-health.js';
import { reviewRuns } from './review-gate.js';
import { recordedModule } from './rollback.js';
import { currentRelease, runSteps, type TargetRun } from './run-target.js';
import { secretValues } from './secrets.js';
import type { TailingEvents } from './tails.js';
import { rollbackTarget, verifyTarget } from './verify.js';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface DeployContext extends RunRequest {
  leases: DeployLeases;
  done: ReadonlyMap<string, ReadonlySet<string>>;
  tier: 1 | 2;
  /** The prompt's requirements of a tier-2 workflow, as recorded; null without a prompt. */
  requirements: readonly Requirement[] | null;
  approval: WorkflowApproval | null;
}

/** The first failure of an attempt, when it is one a diagnoser may fix (a step that ran and failed). */
export interface AttemptFailure {
  target: string;
  step: string;
  command: string | null;
  exitCode: number | null;
  error: string;
  /** The app's own log on the target, read right after release or verify failed; null otherwise. */
  appLog: string | null;
}

/** One pass over the targets: its outcome, the runs it planned, and what failed first. */
export interface Attempt {
  outcome: DeployOutcome;
  runs: TargetRun[];
  review: PlanReview | null;
  failure: AttemptFailure | null;
}

const APP_LOG_LINES = 40;

/** The last lines the app wrote (process and systemd runtimes log to a file), through the guard. */
async function appLogTail(run: TargetRun): Promise<string | null> {
  if (run.plan.runtime === 'docker') return null;
  try {
    const result = await run.guard.run(
      run.target,
      renderCommand(argv('tail', '-n', String(APP_LOG_LINES), '--', run.plan.layout.logFile)),
      { cwd: '/', secrets: Object.values(run.secrets) },
      run.actor,
    );
    return result.exitCode === 0 ? result.stdoutTail : null;
  } catch {
    return null;
  }
}

/** A failed step's error, told apart: only a step that ran and failed is worth a diagnosis. */
function failureOf(target: string, error: unknown, appLog: string | null): AttemptFailure | null {
  if (!(error instanceof AutomatosError)) return null;
  if (error.code !== 'AUT_DEPLOY_STEP_FAILED' && error.code !== 'AUT_DEPLOY_UNHEALTHY') return null;
  const step = typeof error.details['step'] === 'string' ? error.details['step'] : 'verify';
  return {
    target,
    step,
    command: typeof error.details['command'] === 'string' ? error.details['command'] : null,
    exitCode: typeof error.details['exitCode'] === 'number' ? error.details['exitCode'] : null,
    error: error.message,
    appLog,
  };
}

/** Every target reached and probed at once (with several hosts, serial probing adds up), then planned. */
async function planRuns(
  orch: Orchestrator,
  request: DeployContext,
  actor: Actor,
  events: TailingEvents,
  hosts: Map<string, string>,
): Promise<TargetRun[]> {
  const { module, source } = request.deployable;
  const secrets = await secretValues(orch, module.name, module.secrets);
  return Promise.all(
    request.targets.map(async (name): Promise<TargetRun> => {
      hosts.set(name, name === LOCAL_TARGET ? '127.0.0.1' : (await orch.store.targets.get(name)).host);
      const target = await orch.target(name);
      const facts = await targetFacts(orch, name, actor);
      const plan = buildPlan({ module, sourceDir: source.dir, releaseId: request.releaseId, target: facts });
      return {
        guard: orch.guard,
        target: { ...target, systemdUnits: plan.runtime === 'systemd' },
        plan,
        module,
        secrets,
        actor: { ...actor, workflowId: request.workflowId },
        events,
        done: request.done.get(name) ?? new Set(),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      };
    }),
  );
}

/**
 * Probe and plan every target, review the plans (a denial or a pending approval stops here, before
 * anything touches a target), then upload, prepare, build and test everywhere in parallel, and
 * release and verify in batches, rolling the fleet back when a target fails verification.
 */
export async function deployTo(
  orch: Orchestrator,
  request: DeployContext,
  actor: Actor,
  events: TailingEvents,
): Promise<Attempt> {
  const { module, source } = request.deployable;
  const { workflowId, releaseId } = request;
  const hosts = new Map<string, string>();
  const runs = await planRuns(orch, request, actor, events, hosts);
  const outcomes = new Map<string, TargetOutcome>(
    runs.map((run) => [
      run.target.name,
      {
        target: run.target.name,
        status: 'not_released',
        serving: null,
        previous: null,
        error: null,
        url: `http://${hosts.get(run.target.name) ?? run.target.name}:${module.port}/`,
      },
    ]),
  );
  const result = (
    status: DeployOutcome['status'],
    review: PlanReview | null,
    failure: AttemptFailure | null = null,
  ): Attempt => ({
    outcome: { workflowId, app: module.name, releaseId, status, targets: [...outcomes.values()] },
    runs,
    review,
    failure,
  });
  const gate = await reviewRuns(orch, runs, {
    workflowId,
    tier: request.tier,
    requirements: request.requirements,
    approval: request.approval,
    actor,
    events,
  });
  if (gate.action === 'deny') {
    for (const outcome of outcomes.values()) outcome.error = gate.error.message;
    return result('failed', gate.review);
  }
  if (gate.action === 'park') return result('awaiting_approval', gate.review);
  const { review } = gate;
  const built = await Promise.allSettled(
    runs.map((run) => runSteps(run, ['upload', 'prepare', 'build', 'test'])),
  );
  let failure: AttemptFailure | null = null;
  built.forEach((settled, i) => {
    const name = runs[i]?.target.name ?? '';
    const outcome = outcomes.get(name);
    if (settled.status === 'rejected' && outcome !== undefined) {
      outcome.status = 'failed';
      outcome.error = message(settled.reason);
      failure ??= failureOf(name, settled.reason, null);
    }
  });
  if (built.some((settled) => settled.status === 'rejected')) return result('failed', review, failure);
  const switched: TargetRun[] = [];
  const previousModules = new Map<string, AiModule | null>();
  const size = Math.max(1, request.batch ?? runs.length);
  request.leases.assertHeld();
  for (let at = 0; at < runs.length; at += size) {
    const batch = runs.slice(at, at + size);
    const verdicts = await Promise.allSettled(
      batch.map(async (run) => {
        const outcome = outcomes.get(run.target.name) as TargetOutcome;
        const recorded = (await orch.store.apps.releases.current(module.name, run.target.name))?.releaseId;
        const linked = await currentRelease(run);
        // After a crash mid-release `current` may already point at this release: the store knows
        // what served before.
        outcome.previous = recorded ?? (linked === releaseId ? null : linked);
        previousModules.set(
          run.target.name,
          outcome.previous === null
            ? null
            : await recordedModule(orch, module.name, run.target.name, outcome.previous),
        );
        switched.push(run);
        let verdict: Awaited<ReturnType<typeof verifyTarget>>;
        try {
          await runSteps(run, ['release']);
          verdict = await verifyTarget(run);
        } catch (error) {
          // Read before the rollback restarts the previous release into the same log file.
          failure ??= failureOf(run.target.name, error, await appLogTail(run));
          throw error;
        }
        outcome.status = 'succeeded';
        outcome.serving = releaseId;
        await recordRelease(orch, run, workflowId, source.commit, 'active');
        if (verdict !== null) await recordVerified(orch, run, verdict);
        await pruneReleases(orch, run, outcome.previous);
      }),
    );
    const failed = verdicts.flatMap((v, i) =>
      v.status === 'rejected' ? [[batch[i], v.reason] as const] : [],
    );
    if (failed.length === 0) continue;
    for (const [run, reason] of failed) {
      const outcome = outcomes.get(run?.target.name ?? '');
      if (outcome !== undefined) {
        outcome.status = 'failed';
        outcome.error = message(reason);
      }
    }
    await rollBackFleet(switched, outcomes, previousModules, module.rollback_enabled);
    for (const run of switched) {
      const outcome = outcomes.get(run.target.name);
      if (outcome?.status === 'rolled_back') {
        await recordRollback(orch, run, workflowId, source.commit, outcome?.previous ?? null);
      }
    }
    return result(module.rollback_enabled ? 'rolled_back' : 'failed', review, failure);
  }
  return result('succeeded', review);
}

/** A target that went back: the new release is marked rolled back and the old one serves again. */
async function recordRollback(
  orch: Orchestrator,
  run: TargetRun,
  workflowId: string,
  commitSha: string | null,
  previous: string | null,
): Promise<void> {
  const { name: app } = run.module;
  const target = run.target.name;
  await orch.store.apps.releases.upsert({
    app,
    target,
    releaseId: run.plan.releaseId,
    status: 'rolled_back',
    workflowId,
    commitSha,
  });
  if (previous !== null && (await orch.store.apps.releases.find(app, target, previous)) !== undefined) {
    await orch.store.apps.releases.activate(app, target, previous);
  }
}

/** The store's view of what each target serves: `automatos apps` and rollback read it. */
async function recordRelease(
  orch: Orchestrator,
  run: TargetRun,
  workflowId: string,
  commitSha: string | null,
  status: 'active' | 'rolled_back',
): Promise<void> {
  const key = { app: run.module.name, target: run.target.name, releaseId: run.plan.releaseId };
  await orch.store.apps.releases.upsert({
    ...key,
    status: status === 'active' ? 'building' : status,
    workflowId,
    commitSha,
  });
  if (status === 'active') await orch.store.apps.releases.activate(key.app, key.target, key.releaseId);
}

async function rollBackFleet(
  switched: TargetRun[],
  outcomes: Map<string, TargetOutcome>,
  previousModules: Map<string, AiModule | null>,
  enabled: boolean,
): Promise<void> {
  if (!enabled) return;
  await Promise.all(
    switched.map(async (run) => {
      const outcome = outcomes.get(run.target.name) as TargetOutcome;
      try {
        await rollbackTarget(run, outcome.previous, previousModules.get(run.target.name) ?? null);
        outcome.serving = outcome.previous;
        if (outcome.status === 'succeeded') outcome.status = 'rolled_back';
        else outcome.status = outcome.previous === null ? 'failed' : 'rolled_back';
      } catch (error) {
        outcome.error = `${outcome.error ?? ''}${outcome.error === null ? '' : '; '}rollback failed: ${message(error)}`;
      }
    }),
  );
}
