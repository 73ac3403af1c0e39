import type { Store } from '../../store/index.js';
import { leaseTtlMs } from './lease.js';

/**
 * Which process runs a queued workflow, as a lease per workflow renewed while it waits and runs.
 * Several workers (or a worker and a `deploy --detach`) on one database never run the same
 * workflow twice; a claim whose process died expires and another worker adopts the workflow.
 */
export class WorkflowClaims {
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly ttlMs = leaseTtlMs();

  constructor(
    private readonly store: Store,
    readonly owner: string,
  ) {}

  static nameFor(workflowId: string): string {
    return `workflow:${workflowId}`;
  }

  async claim(workflowId: string): Promise<boolean> {
    const ok = await this.store.locks.acquire(WorkflowClaims.nameFor(workflowId), this.owner, this.ttlMs);
    if (!ok) return false;
    this.held.add(workflowId);
    this.timer ??= setInterval(() => this.renew(), this.ttlMs / 4).unref();
    return true;
  }

  /**
   * Renews the claim now and says whether this worker still holds it: a claim that lapsed while
   * its workflow waited (the database was unreachable for a TTL) may have been adopted elsewhere.
   */
  confirm(workflowId: string): Promise<boolean> {
    return this.store.locks.heartbeat(WorkflowClaims.nameFor(workflowId), this.owner, this.ttlMs);
  }

  async release(workflowId: string): Promise<void> {
    this.forget(workflowId);
    await this.store.locks.release(WorkflowClaims.nameFor(workflowId), this.owner);
  }

  /** Stops renewing a claim this worker lost, without touching the new holder's lease. */
  forget(workflowId: string): void {
    this.held.delete(workflowId);
    if (this.held.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  async releaseAll(): Promise<void> {
    for (const id of [...this.held]) await this.release(id);
  }

  private renew(): void {
    for (const id of this.held) {
      // A claim lost while queued is caught by confirm() before the workflow starts; once it runs,
      // its deploy leases stop it before anything is switched.
      this.store.locks.heartbeat(WorkflowClaims.nameFor(id), this.owner, this.ttlMs).catch(() => undefined);
    }
  }
}
