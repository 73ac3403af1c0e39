import { createRedactor } from '../../security/index.js';
import type { HealthVerdict } from '../health/index.js';
import { recordHealth } from '../monitor/index.js';
import type { Orchestrator } from '../orchestrator.js';
import type { TargetRun } from './run-target.js';

/**
 * A passed verify is the new release's first health result: monitoring compares its later checks
 * to it. Storing it must not undo a verified release, so a failure here is logged, not raised.
 */
export async function recordVerified(
  orch: Orchestrator,
  run: TargetRun,
  verdict: HealthVerdict,
): Promise<void> {
  const last = verdict.attempts.at(-1);
  const shown = createRedactor(Object.values(run.secrets));
  try {
    await recordHealth(orch, {
      app: run.module.name,
      target: run.target.name,
      releaseId: run.plan.releaseId,
      healthy: verdict.healthy,
      statusCode: last?.statusCode ?? null,
      latencyMs: last?.latencyMs ?? null,
      detail: shown(verdict.reason),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    run.events.log(run.target.name, 'verify', 'system', `could not record the health result: ${why}\n`);
  }
}
