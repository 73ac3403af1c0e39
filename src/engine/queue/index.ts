export { InProcessQueue, DEFAULT_CONCURRENCY } from './in-process.js';
export type { Job, JobHandler, JobQueue, QueueStats } from './types.js';
