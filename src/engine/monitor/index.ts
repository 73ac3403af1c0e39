export { monitorOnce, DEFAULT_MONITOR_CONCURRENCY } from './monitor-once.js';
export type { MonitorCheck, MonitorOptions } from './monitor-once.js';
export { HealthMonitor, DEFAULT_MONITOR_INTERVAL_MS } from './health-monitor.js';
export type { HealthMonitorOptions } from './health-monitor.js';
export { recordHealth } from './record.js';
export type { HealthSample, RecordedHealth } from './record.js';
export { isTransition, alertMessage } from './transition.js';
