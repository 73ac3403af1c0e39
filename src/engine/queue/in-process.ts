import { AutomatosError } from '../../core/index.js';
import type { Job, JobHandler, JobQueue, QueueStats } from './types.js';

export const DEFAULT_CONCURRENCY = 4;

/**
 * FIFO with a concurrency limit, in this process. A job whose keys overlap a running job's waits
 * for it, in arrival order; jobs behind it with other keys are not held up by it (a deploy of one
 * app never waits behind a deploy of another that is itself waiting).
 */
export class InProcessQueue implements JobQueue {
  private readonly waiting: Job[] = [];
  private readonly active = new Map<string, Job>();
  private handler: JobHandler | undefined;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly onError: (job: Job, error: unknown) => void;

  constructor(
    private readonly concurrency = DEFAULT_CONCURRENCY,
    onError?: (job: Job, error: unknown) => void,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new AutomatosError(
        'AUT_USAGE',
        `queue concurrency must be a positive integer, got ${concurrency}`,
      );
    }
    this.onError = onError ?? (() => undefined);
  }

  enqueue(job: Job): Promise<void> {
    if (this.closed) {
      return Promise.reject(new AutomatosError('AUT_CONFLICT', 'the queue is shutting down; try again'));
    }
    this.waiting.push(job);
    // Dispatch on the next turn so the submitter can subscribe to the job's events first.
    setImmediate(() => this.pump());
    return Promise.resolve();
  }

  process(handler: JobHandler): void {
    if (this.handler !== undefined) throw new AutomatosError('AUT_USAGE', 'the queue already has a handler');
    this.handler = handler;
    setImmediate(() => this.pump());
  }

  remove(workflowId: string): Promise<boolean> {
    const at = this.waiting.findIndex((j) => j.workflowId === workflowId);
    if (at >= 0) this.waiting.splice(at, 1);
    this.settleIdle();
    return Promise.resolve(at >= 0);
  }

  stats(): QueueStats {
    return { queued: this.waiting.length, running: this.active.size };
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await this.idle();
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.active.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private busyKeys(): Set<string> {
    return new Set([...this.active.values()].flatMap((j) => j.keys));
  }

  private pump(): void {
    const handler = this.handler;
    if (handler === undefined) return;
    while (this.active.size < this.concurrency) {
      const busy = this.busyKeys();
      // Keys claimed by earlier waiting jobs count as busy too: FIFO among jobs that conflict.
      const at = this.waiting.findIndex((job, i) => {
        const ahead = this.waiting.slice(0, i).flatMap((j) => j.keys);
        return job.keys.every((k) => !busy.has(k) && !ahead.includes(k));
      });
      if (at < 0) break;
      const [job] = this.waiting.splice(at, 1) as [Job];
      this.active.set(job.workflowId, job);
      handler(job)
        .catch((error: unknown) => this.onError(job, error))
        .finally(() => {
          this.active.delete(job.workflowId);
          this.pump();
          this.settleIdle();
        });
    }
    this.settleIdle();
  }
}
