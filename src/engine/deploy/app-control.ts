import { randomUUID } from 'node:crypto';
import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import { buildPlan, restartCommands, stopCommands } from '../../plan/index.js';
import type { PlannedCommand } from '../../plan/index.js';
import { LOCAL_TARGET } from '../local-target.js';
import type { Orchestrator } from '../orchestrator.js';
import { targetFacts } from '../probe.js';
import { DeployLeases } from '../workflow/lease.js';
import { appSecretValues } from './app-secrets.js';
import type { DeployEvents } from './events.js';
import { recordedModule } from './rollback.js';
import { runPlanned, type TargetRun } from './run-target.js';
import { verifyTarget } from './verify.js';

export interface AppControlRequest {
  app: string;
  target: string;
}

export interface AppControlOutcome {
  app: string;
  target: string;
  /** The release that was stopped or started: the one the store records as serving. */
  releaseId: string;
  /** Where it answers (start), or answered (stop). */
  url: string;
}

/**
 * The serving release of an app on a target as the runtime knows it: the store's active release,
 * its recorded manifest (which says the runtime, port and unit/container names) and the plan that
 * manifest gives on this target's facts.
 */
async function servingRun(
  orch: Orchestrator,
  request: AppControlRequest,
  actor: Actor,
  events: DeployEvents,
): Promise<TargetRun> {
  const { app, target: name } = request;
  const release = await orch.store.apps.releases.current(app, name);
  if (release === undefined) {
    throw new AutomatosError(
      'AUT_NOT_FOUND',
      `${app} has no release serving on ${name}; \`automatos apps show ${app}\` lists what is recorded`,
      { details: { app, target: name } },
    );
  }
  const module = await recordedModule(orch, app, name, release.releaseId);
  if (module === null) {
    throw new AutomatosError(
      'AUT_NOT_FOUND',
      `the manifest of ${app} release ${release.releaseId} is not recorded, so its runtime is unknown; redeploy it`,
      { details: { app, target: name, releaseId: release.releaseId } },
    );
  }
  const target = await orch.target(name);
  const facts = await targetFacts(orch, name, actor);
  const plan = buildPlan({ module, sourceDir: '/', releaseId: release.releaseId, target: facts });
  return {
    guard: orch.guard,
    target: { ...target, systemdUnits: plan.runtime === 'systemd' },
    plan,
    module,
    secrets: await appSecretValues(orch, app),
    actor,
    events,
  };
}

/** The runtime's commands as one `release` step of the caller's view, its failure shown there too. */
async function runAsRelease(
  run: TargetRun,
  detail: string,
  commands: readonly PlannedCommand[],
): Promise<void> {
  const { events, target } = run;
  events.step(target.name, 'release', 'running', detail);
  try {
    for (const planned of commands) await runPlanned(run, 'release', planned);
  } catch (error) {
    events.step(target.name, 'release', 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
  events.step(target.name, 'release', 'succeeded');
}

async function control(
  orch: Orchestrator,
  request: AppControlRequest,
  actor: Actor,
  events: DeployEvents,
  action: 'stop' | 'start',
): Promise<AppControlOutcome> {
  const run = await servingRun(orch, request, actor, events);
  const { releaseId, runtime, layout, target } = run.plan;
  const commands =
    action === 'stop'
      ? stopCommands(runtime, run.module, layout)
      : restartCommands(runtime, run.module, layout, target, releaseId);
  // The deploy lease of (app, target): a stop or start in the middle of a deployment of the same
  // app would fight it over the same pid files, unit or container.
  const leases = new DeployLeases(orch.store, `apps-${action}:${randomUUID()}`);
  await leases.acquire(request.app, [request.target]);
  try {
    await orch.audit.append({
      ...actor,
      action: `app.${action}`,
      target: request.target,
      details: { app: request.app, releaseId, runtime },
    });
    await runAsRelease(run, `${action === 'stop' ? 'stopping' : 'starting'} ${releaseId}`, commands);
    // Monitoring skips a release stopped on purpose instead of alerting on it.
    if (action === 'stop') {
      await orch.store.apps.releases.markStopped(
        request.app,
        request.target,
        releaseId,
        new Date().toISOString(),
      );
    } else {
      await verifyTarget(run);
      await orch.store.apps.releases.markStopped(request.app, request.target, releaseId, null);
    }
  } finally {
    await leases.release();
  }
  const host =
    request.target === LOCAL_TARGET ? '127.0.0.1' : (await orch.store.targets.get(request.target)).host;
  return { app: request.app, target: request.target, releaseId, url: `http://${host}:${run.module.port}/` };
}

/**
 * `automatos apps stop`: stops the serving release through its runtime's own stop commands (every
 * one through the guard). The store keeps the release recorded as the current one, so `apps start`
 * or a rollback knows what to bring back.
 */
export function stopApp(
  orch: Orchestrator,
  request: AppControlRequest,
  actor: Actor,
  events: DeployEvents,
): Promise<AppControlOutcome> {
  return control(orch, request, actor, events, 'stop');
}

/**
 * `automatos apps start`: (re)starts the serving release through its runtime, as a release step
 * would, and verifies it with its health check. A failed check is an error; nothing is rolled back,
 * because nothing was switched.
 */
export function startApp(
  orch: Orchestrator,
  request: AppControlRequest,
  actor: Actor,
  events: DeployEvents,
): Promise<AppControlOutcome> {
  return control(orch, request, actor, events, 'start');
}
