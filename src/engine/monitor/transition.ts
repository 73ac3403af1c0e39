import type { HealthState } from '../../store/index.js';

export const stateOf = (healthy: boolean): HealthState => (healthy ? 'healthy' : 'unhealthy');

/**
 * Whether a new result is an alert: the state differs from the last one recorded for (app, target).
 * With nothing recorded before, only an unhealthy start is worth waking someone for.
 */
export function isTransition(previous: HealthState | null, current: HealthState): boolean {
  return previous === null ? current === 'unhealthy' : previous !== current;
}

/** One line for the operator: what changed, where, and what the check saw. */
export function alertMessage(
  where: { app: string; target: string; releaseId: string | null },
  previous: HealthState | null,
  current: HealthState,
  detail: string,
): string {
  const subject = `${where.app} on ${where.target}${where.releaseId === null ? '' : ` (release ${where.releaseId})`}`;
  if (current === 'healthy') return `${subject} recovered: ${detail}`;
  return `${subject} is unhealthy${previous === null ? '' : ' (was healthy)'}: ${detail}`;
}
