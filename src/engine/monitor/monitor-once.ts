import type { Actor } from '../../exec/index.js';
import { redactCredentials } from '../../security/index.js';
import type { Alert, HealthState, Release } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { checkRelease, type CheckOutcome } from './check.js';
import { recordHealth } from './record.js';

export interface MonitorOptions {
  /** Only this app; default every app. */
  app?: string;
  actor: Actor;
  /** Checks running at once across all (app, target) pairs (default 8). */
  concurrency?: number;
  /** Stops the round: checks still running are abandoned and not recorded. */
  signal?: AbortSignal;
}

/** What one round saw for one (app, target). */
export interface MonitorCheck {
  app: string;
  target: string;
  releaseId: string;
  /** `skipped`: no health check to run (disabled, or the release's manifest is not on record). */
  state: HealthState | 'skipped';
  detail: string;
  statusCode: number | null;
  latencyMs: number | null;
  at: string | null;
  /** Set when this result changed the state of (app, target). */
  alert: Alert | null;
}

export const DEFAULT_MONITOR_CONCURRENCY = 8;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The releases serving now: the active one of every (app, target), by app then target. */
async function liveReleases(orch: Orchestrator, app: string | undefined): Promise<Release[]> {
  const apps = app === undefined ? (await orch.store.apps.list()).map((a) => a.name) : [app];
  if (app !== undefined) await orch.store.apps.get(app);
  const live: Release[] = [];
  for (const name of apps) {
    const active = (await orch.store.apps.releases.list(name)).filter((r) => r.status === 'active');
    const targets = [...new Set(active.map((r) => r.target))].sort();
    for (const target of targets) {
      const current = await orch.store.apps.releases.current(name, target);
      if (current !== undefined) live.push(current);
    }
  }
  return live;
}

/**
 * A check that could not even be set up (target removed, key undecryptable, host unreachable) is
 * an unhealthy result with the error as its detail, so it is recorded and alerts like any other.
 */
async function checkOrFail(
  orch: Orchestrator,
  release: Release,
  options: MonitorOptions,
): Promise<CheckOutcome> {
  try {
    return await checkRelease(orch, release, options.actor, options.signal);
  } catch (error) {
    return {
      kind: 'checked',
      sample: {
        app: release.app,
        target: release.target,
        releaseId: release.releaseId,
        healthy: false,
        statusCode: null,
        latencyMs: null,
        // The app's secrets may be what failed to load: credentials are redacted by their shape.
        detail: redactCredentials(`check failed: ${message(error)}`),
      },
    };
  }
}

async function monitorRelease(
  orch: Orchestrator,
  release: Release,
  options: MonitorOptions,
): Promise<MonitorCheck> {
  const base = { app: release.app, target: release.target, releaseId: release.releaseId };
  const outcome = await checkOrFail(orch, release, options);
  if (outcome.kind === 'skipped' || options.signal?.aborted === true) {
    const detail = outcome.kind === 'skipped' ? outcome.reason : 'stopped before the result was recorded';
    return { ...base, state: 'skipped', detail, statusCode: null, latencyMs: null, at: null, alert: null };
  }
  const { result, alert } = await recordHealth(orch, outcome.sample);
  return {
    ...base,
    state: result.healthy ? 'healthy' : 'unhealthy',
    detail: outcome.sample.detail,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    at: result.at,
    alert,
  };
}

/**
 * One monitoring round: one health check of the live release of every app (or one app) on every
 * target, each recorded and published, with an alert where the state changed. A failing target
 * does not hold up the others; a failing store fails the round once every check has ended.
 */
export async function monitorOnce(orch: Orchestrator, options: MonitorOptions): Promise<MonitorCheck[]> {
  const releases = await liveReleases(orch, options.app);
  const checks = new Array<PromiseSettledResult<MonitorCheck>>(releases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < releases.length; i = next++) {
      const release = releases[i] as Release;
      try {
        checks[i] = { status: 'fulfilled', value: await monitorRelease(orch, release, options) };
      } catch (error) {
        checks[i] = { status: 'rejected', reason: error };
      }
    }
  };
  const width = Math.max(1, Math.min(options.concurrency ?? DEFAULT_MONITOR_CONCURRENCY, releases.length));
  await Promise.all(Array.from({ length: width }, worker));
  const failed = checks.find((c) => c.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return checks.map((c) => (c as PromiseFulfilledResult<MonitorCheck>).value);
}
