/**
 * A unit of work: one workflow. Only its id and the locks it needs travel through the queue, so a
 * Redis queue can carry the same jobs between processes; the worker loads the rest from the store.
 */
export interface Job {
  workflowId: string;
  /** Jobs sharing a key never run at the same time (one deploy per app and target). */
  keys: readonly string[];
}

export type JobHandler = (job: Job) => Promise<void>;

export interface QueueStats {
  queued: number;
  running: number;
}

/**
 * The engine's work queue: FIFO with a concurrency limit. The in-process queue is the embedded
 * default; a BullMQ queue implements the same interface when Redis is configured.
 */
export interface JobQueue {
  enqueue(job: Job): Promise<void>;
  /** Starts delivering jobs to `handler`; call once. */
  process(handler: JobHandler): void;
  /** Takes a job out before it starts (cancelled while queued); false when it is not waiting. */
  remove(workflowId: string): Promise<boolean>;
  stats(): QueueStats;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}
