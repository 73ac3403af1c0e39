import type { MonitorCheck } from '../../engine/index.js';
import type { Alert, HealthResult } from '../../store/index.js';

/** One line per (app, target) of a monitoring round, plus a line for the alert it raised. */
export function checkLine(check: MonitorCheck): string {
  const line = `${check.state.padEnd(9)} ${check.app.padEnd(20)} ${check.target.padEnd(13)} ${check.releaseId.padEnd(34)} ${check.detail}\n`;
  return check.alert === null ? line : `${line}  alert: ${check.alert.message}\n`;
}

export function alertLine(alert: Alert): string {
  return `${alert.at}  ${alert.state.padEnd(9)} ${alert.message}\n`;
}

export function healthLine(result: HealthResult): string {
  const state = result.healthy ? 'healthy' : 'unhealthy';
  const latency = result.latencyMs === null ? '-' : `${result.latencyMs} ms`;
  return `  ${result.at}  ${result.target.padEnd(13)} ${state.padEnd(9)} ${latency.padStart(8)}  ${result.detail ?? ''}\n`;
}
