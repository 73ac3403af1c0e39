import { REQUIREMENT_TEXT_MAX, RequirementSchema } from '../../agents/index.js';
import type { Requirement } from '../../agents/index.js';
import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import { releaseIdFor } from '../../plan/index.js';
import type { Workflow } from '../../store/index.js';
import { LOCAL_TARGET } from '../local-target.js';
import type { Orchestrator } from '../orchestrator.js';
import { loadDeployable } from '../plan-deployment.js';
import type { Deployable, PlanRequest } from '../plan-deployment.js';
import { createRedactor } from '../../security/index.js';
import type { Redactor } from '../../security/index.js';
import type { PromptPlan } from '../tier2/plan-from-prompt.js';
import { MAX_FIXES, toStoredExchange } from '../tier2/diagnose.js';
import { DeployLeases } from '../workflow/lease.js';
import { newWorkflowId, WorkflowRecorder } from '../workflow/recorder.js';
import { deployTo, type Attempt } from './deploy-to.js';
import { diagnoseAndFix } from './fix-and-retry.js';
import { secretValues } from './secrets.js';
import { TailingEvents } from './tails.js';

export interface DeployRequest extends Omit<PlanRequest, 'now'> {
  targets: readonly string[];
  /** How many targets switch at once; default all. */
  batch?: number;
  now?: Date;
}

export type TargetStatus = 'succeeded' | 'failed' | 'rolled_back' | 'not_released';

export interface TargetOutcome {
  target: string;
  status: TargetStatus;
  /** The release serving after this deployment, or null when nothing serves. */
  serving: string | null;
  previous: string | null;
  error: string | null;
  url: string;
}

export interface DeployOutcome {
  workflowId: string;
  app: string;
  releaseId: string;
  /** `awaiting_approval`: the review parked it; nothing ran on any target. */
  status: 'succeeded' | 'failed' | 'rolled_back' | 'cancelled' | 'awaiting_approval';
  targets: TargetOutcome[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A deployment recorded as `queued`, with its source loaded and its release id chosen. */
export interface SubmittedDeployment {
  workflowId: string;
  app: string;
  releaseId: string;
  targets: string[];
  deployable: Deployable;
}

/**
 * Validates and records a deployment without running it: the source is loaded (cloned), the
 * manifest parsed and the secrets checked now, so bad input fails before anything is queued; the
 * workflow row is `queued` until a worker runs it with `runWorkflow`.
 */
export async function submitDeployment(
  orch: Orchestrator,
  request: DeployRequest,
  actor: Actor,
): Promise<SubmittedDeployment> {
  if (request.targets.length === 0) throw new AutomatosError('AUT_USAGE', 'give at least one --target');
  const targets = [...new Set(request.targets)];
  // Unknown targets are known before a clone or a planner call.
  for (const name of targets) if (name !== LOCAL_TARGET) await orch.store.targets.get(name);
  const deployable = await loadDeployable(
    request.prompt === undefined || request.agents !== undefined
      ? request
      : { ...request, agents: orch.agents() },
  );
  const { module, source } = deployable;
  try {
    const secrets = await secretValues(orch, module.name, module.secrets);
    const workflowId = newWorkflowId();
    const releaseId = releaseIdFor(request.now ?? new Date(), source.commit);
    const { prompted } = deployable;
    await orch.store.workflows.create({
      id: workflowId,
      tier: deployable.tier,
      // A local directory is recorded by absolute path, so a worker or a resume finds it from any cwd.
      source: source.kind === 'local' ? source.dir : source.spec,
      ref: source.ref,
      commitSha: source.commit,
      app: module.name,
      targets,
      requestedBy: actor.principal,
      status: 'queued',
      plan: { module, releaseId, ...(request.batch === undefined ? {} : { batch: request.batch }) },
      ...(prompted === null
        ? {}
        : {
            ...storedPrompt(prompted, createRedactor(Object.values(secrets))),
            agent: { provider: prompted.provider, model: prompted.model },
          }),
    });
    if (prompted !== null) {
      await orch.store.agentExchanges.record(workflowId, prompted.exchanges.map(toStoredExchange));
    }
    await orch.store.workflows.update(workflowId, { releaseId });
    orch.bus.publish({
      type: 'workflow.status',
      workflowId,
      app: module.name,
      status: 'queued',
      error: null,
      at: new Date().toISOString(),
    });
    return { workflowId, app: module.name, releaseId, targets, deployable };
  } catch (error) {
    await source.cleanup();
    throw error;
  }
}

/**
 * The prompt and its requirements as the workflow keeps them: a credential typed into a prompt
 * ("the password is …") or an app secret's value is not stored in clear.
 */
function storedPrompt(
  prompted: PromptPlan,
  shown: Redactor,
): { taskPrompt: string; requirements: Requirement[] } {
  // Redaction lengthens text ("token=a" -> "token=[REDACTED]"): cut back to the schema's limit, so
  // the stored requirements always parse and the review always sees every one of them.
  const cut = (text: string) => {
    const redacted = shown(text);
    return redacted.length <= REQUIREMENT_TEXT_MAX
      ? redacted
      : `${redacted.slice(0, REQUIREMENT_TEXT_MAX - 1)}…`;
  };
  return {
    taskPrompt: shown(prompted.prompt),
    requirements: prompted.requirements.map((r) =>
      r.status === 'met'
        ? { ...r, text: cut(r.text), how: cut(r.how) }
        : { ...r, text: cut(r.text), why: cut(r.why) },
    ),
  };
}

export interface RunRequest {
  workflowId: string;
  releaseId: string;
  targets: readonly string[];
  deployable: Deployable;
  batch?: number;
  signal?: AbortSignal;
}

/**
 * Runs (or resumes) a recorded workflow to its end, holding its leases, and records how it ended.
 * Upload, prepare, build and test run on every target in parallel; release and verify in batches.
 * If any target fails verification, every target already switched goes back to its previous
 * release, so the fleet never stays on mixed versions.
 */
export async function runWorkflow(
  orch: Orchestrator,
  request: RunRequest,
  actor: Actor,
  done: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): Promise<DeployOutcome> {
  const { workflowId, releaseId, deployable } = request;
  const { module } = deployable;
  const recorder = new WorkflowRecorder(orch.store, workflowId, module.name, orch.bus);
  const leases = new DeployLeases(orch.store, workflowId);
  const stop = watchForStop(orch, workflowId, request.signal);
  let outcome: DeployOutcome | undefined;
  let failure: unknown = null;
  let stoppedWhileQueued = false;
  try {
    // One stopped while it waited in the queue never starts.
    const before = await orch.store.workflows.get(workflowId);
    if (before.status === 'cancelled') {
      stoppedWhileQueued = true;
      outcome = { workflowId, app: module.name, releaseId, status: 'cancelled', targets: [] };
      return outcome;
    }
    await leases.acquire(module.name, request.targets);
    if (before.status === 'queued') recorder.status('running', { startedAt: new Date().toISOString() });
    outcome = await attemptWithFixes(orch, {
      request: { ...request, signal: stop.signal },
      workflow: before,
      leases,
      done,
      actor,
      recorder,
      stopped: stop.requested,
    });
    if (stop.requested()) outcome = { ...outcome, status: 'cancelled' };
    return outcome;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    stop.dispose();
    await leases.release();
    const status = stop.requested() || stoppedWhileQueued ? 'cancelled' : (outcome?.status ?? 'failed');
    // Parked, it is not finished: it waits for `workflows approve` (or reject) with no lease held.
    const end =
      status === 'awaiting_approval'
        ? recorder.park()
        : recorder.finish(status, failure === null ? firstError(outcome) : message(failure));
    // The deployment's own result stands: a failure to store its last lines is reported, not raised.
    await end.catch((error: unknown) =>
      // seq 0: this line could not be stored; subscribers still see why the record is incomplete.
      orch.bus.publish({
        type: 'log',
        workflowId,
        seq: 0,
        target: '-',
        step: 'verify',
        stream: 'system',
        text: `could not store the end of the workflow: ${message(error)}\n`,
        at: new Date().toISOString(),
      }),
    );
  }
}

interface FixLoop {
  request: RunRequest;
  workflow: Workflow;
  leases: DeployLeases;
  done: ReadonlyMap<string, ReadonlySet<string>>;
  actor: Actor;
  recorder: WorkflowRecorder;
  stopped: () => boolean;
}

/**
 * The prompt's requirements as the workflow recorded them. A record that does not parse fails
 * closed: it stands as one unmet requirement, so the plan waits for an operator instead of running
 * as if nothing had been asked.
 */
const requirementsOf = (w: Workflow): Requirement[] | null => {
  if (w.requirements === null) return null;
  const parsed = RequirementSchema.array().safeParse(w.requirements);
  if (parsed.success) return parsed.data;
  return [
    {
      text: 'the requirements recorded for this workflow',
      status: 'unmet',
      why: 'the stored record could not be read; check the prompt with `automatos workflows show`',
    },
  ];
};

/**
 * One deployment, and for a tier-2 workflow up to MAX_FIXES more: each failed step is diagnosed,
 * the fix applied and reviewed, and the whole fleet deployed again as a new release (a failed
 * verify has already rolled back, so the retry starts from what served before). A tier-1 failure
 * gets one diagnosis, recorded as a suggestion. The count survives restarts: it is the store's.
 */
async function attemptWithFixes(orch: Orchestrator, loop: FixLoop): Promise<DeployOutcome> {
  const { workflow, leases, actor, recorder } = loop;
  const tier = workflow.tier === 1 ? 1 : 2;
  const requirements = requirementsOf(workflow);
  const events = new TailingEvents(recorder);
  let request = loop.request;
  const run = (done: ReadonlyMap<string, ReadonlySet<string>>): Promise<Attempt> =>
    deployTo(
      orch,
      { ...request, leases, done, tier, requirements, approval: workflow.approval },
      actor,
      events,
    );
  let attempt = await run(loop.done);
  let fixes = (await orch.store.fixes.list(request.workflowId)).length;
  const limit = tier === 2 ? MAX_FIXES : 1;
  while (attempt.failure !== null && fixes < limit && !loop.stopped()) {
    fixes += 1;
    const retry = await diagnoseAndFix(orch, {
      workflowId: request.workflowId,
      tier,
      number: fixes,
      module: request.deployable.module,
      attempt: { ...attempt, failure: attempt.failure },
      requirements,
      approval: workflow.approval,
      commit: request.deployable.source.commit,
      sourceDir: request.deployable.source.dir,
      events,
      recorder,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    if (retry === null || loop.stopped()) break;
    request = {
      ...request,
      releaseId: retry.releaseId,
      deployable: { ...request.deployable, module: retry.module },
    };
    attempt = await run(new Map());
  }
  return attempt.outcome;
}

const STOP_POLL_MS = 1000;

/**
 * `automatos workflows stop ID` marks the workflow cancelled in the store, possibly from another
 * process; the deploying process sees it within a second and aborts its running command, whose
 * whole process group is then killed on the target.
 */
function watchForStop(orch: Orchestrator, workflowId: string, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let stopped = false;
  const onOuter = () => controller.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  const timer = setInterval(() => {
    orch.store.workflows.find(workflowId).then(
      (w) => {
        if (w?.status === 'cancelled') {
          stopped = true;
          controller.abort();
        }
      },
      () => undefined,
    );
  }, STOP_POLL_MS);
  timer.unref();
  return {
    signal: controller.signal,
    requested: () => stopped || outer?.aborted === true,
    dispose: () => {
      clearInterval(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

const firstError = (outcome: DeployOutcome | undefined): string | null =>
  outcome?.targets.find((t) => t.error !== null)?.error ?? null;
