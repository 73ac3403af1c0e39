import type { Alert, HealthResult } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { alertMessage, isTransition, stateOf } from './transition.js';

/** One health check of a live release, as the verify step or the monitor saw it. */
export interface HealthSample {
  app: string;
  target: string;
  releaseId: string | null;
  healthy: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  /** Already redacted by the caller: it is stored, published and printed. */
  detail: string;
  at?: string;
}

export interface RecordedHealth {
  result: HealthResult;
  /** Set when this result changed the state of (app, target). */
  alert: Alert | null;
}

/**
 * Stores a health result, publishes it, and when it changes the state of (app, target) compared to
 * the result recorded before it, stores and publishes an alert too. The verify step of a deployment
 * and the monitor both come through here, so a deploy that fixes an unhealthy app is a recovery.
 */
export async function recordHealth(orch: Orchestrator, sample: HealthSample): Promise<RecordedHealth> {
  const before = await orch.store.health.latest(sample.app, sample.target);
  const result = await orch.store.health.record({
    app: sample.app,
    target: sample.target,
    releaseId: sample.releaseId,
    healthy: sample.healthy,
    statusCode: sample.statusCode,
    latencyMs: sample.latencyMs,
    detail: sample.detail,
    ...(sample.at === undefined ? {} : { at: sample.at }),
  });
  orch.bus.publish({
    type: 'health',
    app: result.app,
    target: result.target,
    releaseId: result.releaseId,
    healthy: result.healthy,
    detail: result.detail,
    at: result.at,
  });
  const previous = before === undefined ? null : stateOf(before.healthy);
  const state = stateOf(result.healthy);
  if (!isTransition(previous, state)) return { result, alert: null };
  const alert = await orch.store.alerts.record({
    app: result.app,
    target: result.target,
    releaseId: result.releaseId,
    at: result.at,
    state,
    previousState: previous,
    message: alertMessage(result, previous, state, sample.detail),
  });
  orch.bus.publish({
    type: 'alert',
    id: alert.id,
    app: alert.app,
    target: alert.target,
    releaseId: alert.releaseId,
    state: alert.state,
    message: alert.message,
    at: alert.at,
  });
  return { result, alert };
}
