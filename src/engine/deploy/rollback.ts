import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import { AiModuleSchema } from '../../manifest/index.js';
import type { AiModule } from '../../manifest/index.js';
import { buildPlan } from '../../plan/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { targetFacts } from '../probe.js';
import { DeployLeases } from '../workflow/lease.js';
import { newWorkflowId, WorkflowRecorder } from '../workflow/recorder.js';
import { currentRelease } from './run-target.js';
import type { TargetRun } from './run-target.js';
import { rollbackTarget } from './verify.js';

export interface RollbackRequest {
  app: string;
  target: string;
  /** A release id; default: the release that served before the current one. */
  to?: string;
}

export interface RollbackOutcome {
  workflowId: string;
  app: string;
  target: string;
  from: string | null;
  to: string;
}

async function knownSecrets(orch: Orchestrator, app: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of await orch.store.appSecrets.list(app)) {
    const value = await orch.secret(app, name);
    if (value !== null) values[name] = value;
  }
  return values;
}

/** Which release to go back to: the one asked for, else the newest earlier one still recorded. */
async function chooseRelease(
  orch: Orchestrator,
  request: RollbackRequest,
  current: string | null,
): Promise<string> {
  const releases = await orch.store.apps.releases.list(request.app, request.target);
  if (request.to !== undefined) {
    if (!releases.some((r) => r.releaseId === request.to)) {
      throw new AutomatosError(
        'AUT_NOT_FOUND',
        `${request.app} has no release ${request.to} on ${request.target}; \`automatos apps show ${request.app}\` lists them`,
      );
    }
    return request.to;
  }
  const earlier = releases.find(
    (r) => r.releaseId !== current && (r.status === 'previous' || r.status === 'active'),
  );
  if (earlier === undefined) {
    throw new AutomatosError(
      'AUT_NOT_FOUND',
      `${request.app} has no earlier release on ${request.target} to roll back to`,
    );
  }
  return earlier.releaseId;
}

/** The manifest a release was deployed with, as its workflow recorded it; null when unknown. */
export async function recordedModule(
  orch: Orchestrator,
  app: string,
  target: string,
  releaseId: string,
): Promise<AiModule | null> {
  const release = await orch.store.apps.releases.find(app, target, releaseId);
  const origin =
    release?.workflowId == null ? undefined : await orch.store.workflows.find(release.workflowId);
  const parsed = AiModuleSchema.safeParse((origin?.plan as { module?: unknown } | null | undefined)?.module);
  return parsed.success ? parsed.data : null;
}

/**
 * `automatos rollback`: switch an app's `current` on one target back to an earlier release and
 * restart it with that release's own manifest, verify it, and record it as a workflow.
 */
export async function rollbackApp(
  orch: Orchestrator,
  request: RollbackRequest,
  actor: Actor,
): Promise<RollbackOutcome> {
  const target = await orch.target(request.target);
  const facts = await targetFacts(orch, request.target, actor);
  const recorded = await orch.store.apps.releases.current(request.app, request.target);
  const to = await chooseRelease(orch, request, recorded?.releaseId ?? null);
  const release = await orch.store.apps.releases.get(request.app, request.target, to);
  const origin =
    release.workflowId === null ? undefined : await orch.store.workflows.find(release.workflowId);
  const module = await recordedModule(orch, request.app, request.target, to);
  if (module === null) {
    throw new AutomatosError(
      'AUT_NOT_FOUND',
      `the manifest of ${request.app} release ${to} is not recorded; redeploy it instead`,
    );
  }
  const plan = buildPlan({ module, sourceDir: '/', releaseId: to, target: facts });
  const workflowId = newWorkflowId();
  await orch.store.workflows.create({
    id: workflowId,
    tier: origin?.tier ?? 1,
    source: `rollback of ${request.app}`,
    app: request.app,
    targets: [request.target],
    requestedBy: actor.principal,
    status: 'running',
    plan: { module, releaseId: to, rollback: true },
  });
  const recorder = new WorkflowRecorder(orch.store, workflowId, request.app, orch.bus);
  const leases = new DeployLeases(orch.store, workflowId);
  const run: TargetRun = {
    guard: orch.guard,
    target: { ...target, systemdUnits: plan.runtime === 'systemd' },
    plan,
    module,
    // Nothing is written with them; they are here so output and health details are redacted.
    secrets: await knownSecrets(orch, request.app),
    actor: { ...actor, workflowId },
    events: recorder,
  };
  let error: unknown = null;
  try {
    await leases.acquire(request.app, [request.target]);
    const from = await currentRelease(run);
    await rollbackTarget(run, to);
    // A release switched by hand or before releases were recorded has no row to mark: that is fine.
    if (
      from !== null &&
      (await orch.store.apps.releases.find(request.app, request.target, from)) !== undefined
    ) {
      await orch.store.apps.releases.setStatus(request.app, request.target, from, 'rolled_back');
    }
    await orch.store.apps.releases.activate(request.app, request.target, to);
    return { workflowId, app: request.app, target: request.target, from, to };
  } catch (caught) {
    error = caught;
    throw caught;
  } finally {
    await leases.release();
    await recorder.finish(
      error === null ? 'succeeded' : 'failed',
      error instanceof Error ? error.message : null,
    );
  }
}
