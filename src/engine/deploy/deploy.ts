import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import type { AiModule } from '../../manifest/index.js';
import { buildPlan, releaseIdFor } from '../../plan/index.js';
import { LOCAL_TARGET, localTargetFacts } from '../local-target.js';
import type { Orchestrator } from '../orchestrator.js';
import { loadDeployable } from '../plan-deployment.js';
import type { Deployable, PlanRequest } from '../plan-deployment.js';
import { factsFromReport, probeTarget } from '../probe.js';
import { DeployLeases } from '../workflow/lease.js';
import { newWorkflowId, WorkflowRecorder } from '../workflow/recorder.js';
import type { DeployEvents } from './events.js';
import { currentRelease, runSteps, type TargetRun } from './run-target.js';
import { pruneReleases } from './prune.js';
import { recordVerified } from './record-health.js';
import { recordedModule } from './rollback.js';
import { rollbackTarget, verifyTarget } from './verify.js';

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
  status: 'succeeded' | 'failed' | 'rolled_back' | 'cancelled';
  targets: TargetOutcome[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function secretValues(
  orch: Orchestrator,
  app: string,
  names: readonly string[],
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = await orch.secret(app, name);
    if (value === null) missing.push(name);
    else values[name] = value;
  }
  if (missing.length > 0) {
    throw new AutomatosError(
      'AUT_SECRET_MISSING',
      `${app} needs secrets that are not set: ${missing.join(', ')}. Set each with ` +
        `\`automatos secrets set ${app} NAME\` (the value is read from stdin).`,
      { details: { app, missing } },
    );
  }
  return values;
}

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
  const deployable = await loadDeployable(request);
  const { module, source } = deployable;
  try {
    for (const name of targets) if (name !== LOCAL_TARGET) await orch.store.targets.get(name);
    await secretValues(orch, module.name, module.secrets);
    const workflowId = newWorkflowId();
    const releaseId = releaseIdFor(request.now ?? new Date(), source.commit);
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
    });
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
    outcome = await deployTo(orch, { ...request, leases, done, signal: stop.signal }, actor, recorder);
    if (stop.requested()) outcome = { ...outcome, status: 'cancelled' };
    return outcome;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    stop.dispose();
    await leases.release();
    const status = stop.requested() || stoppedWhileQueued ? 'cancelled' : (outcome?.status ?? 'failed');
    // The deployment's own result stands: a failure to store its last lines is reported, not raised.
    await recorder
      .finish(status, failure === null ? firstError(outcome) : message(failure))
      .catch((error: unknown) =>
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

interface DeployContext extends RunRequest {
  leases: DeployLeases;
  done: ReadonlyMap<string, ReadonlySet<string>>;
}

async function deployTo(
  orch: Orchestrator,
  request: DeployContext,
  actor: Actor,
  events: DeployEvents,
): Promise<DeployOutcome> {
  const { module, source } = request.deployable;
  const { workflowId, releaseId } = request;
  const secrets = await secretValues(orch, module.name, module.secrets);
  const hosts = new Map<string, string>();
  // Every target is reached and probed at once: with several hosts, serial probing adds up.
  const runs: TargetRun[] = await Promise.all(
    request.targets.map(async (name): Promise<TargetRun> => {
      hosts.set(name, name === LOCAL_TARGET ? '127.0.0.1' : (await orch.store.targets.get(name)).host);
      const target = await orch.target(name);
      const facts =
        name === LOCAL_TARGET ? localTargetFacts() : factsFromReport(await probeTarget(orch, name, actor));
      const plan = buildPlan({ module, sourceDir: source.dir, releaseId, target: facts });
      return {
        guard: orch.guard,
        target: { ...target, systemdUnits: plan.runtime === 'systemd' },
        plan,
        module,
        secrets,
        actor: { ...actor, workflowId },
        events,
        done: request.done.get(name) ?? new Set(),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      };
    }),
  );
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
  const built = await Promise.allSettled(
    runs.map((run) => runSteps(run, ['upload', 'prepare', 'build', 'test'])),
  );
  built.forEach((result, i) => {
    const outcome = outcomes.get(runs[i]?.target.name ?? '');
    if (result.status === 'rejected' && outcome !== undefined) {
      outcome.status = 'failed';
      outcome.error = message(result.reason);
    }
  });
  if (built.some((result) => result.status === 'rejected')) {
    return { workflowId, app: module.name, releaseId, status: 'failed', targets: [...outcomes.values()] };
  }
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
        await runSteps(run, ['release']);
        const verdict = await verifyTarget(run);
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
    const status = module.rollback_enabled ? 'rolled_back' : 'failed';
    return { workflowId, app: module.name, releaseId, status, targets: [...outcomes.values()] };
  }
  return { workflowId, app: module.name, releaseId, status: 'succeeded', targets: [...outcomes.values()] };
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
