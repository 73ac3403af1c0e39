import { AutomatosError } from '../../core/index.js';
import type { Store } from '../../store/index.js';

export const DEPLOY_LEASE_TTL_MS = 60_000;

/** `AUTOMATOS_LEASE_TTL_MS` shortens the lease (tests of crash recovery); renewed every quarter of it. */
export function leaseTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env['AUTOMATOS_LEASE_TTL_MS']);
  return Number.isInteger(fromEnv) && fromEnv >= 1000 ? fromEnv : DEPLOY_LEASE_TTL_MS;
}

/**
 * One deploy at a time per (app, target), as a lease with a TTL renewed by a heartbeat: a holder that
 * crashed stops renewing and its lease expires; no manual unlock is ever needed.
 */
export class DeployLeases {
  private readonly held: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lost: string | null = null;
  private readonly ttlMs = leaseTtlMs();

  constructor(
    private readonly store: Store,
    private readonly owner: string,
  ) {}

  static nameFor(app: string, target: string): string {
    return `deploy:${app}:${target}`;
  }

  async acquire(app: string, targets: readonly string[]): Promise<void> {
    for (const target of targets) {
      const name = DeployLeases.nameFor(app, target);
      if (!(await this.store.locks.acquire(name, this.owner, this.ttlMs))) {
        const holder = await this.store.locks.get(name);
        await this.release();
        throw new AutomatosError(
          'AUT_CONFLICT',
          `another deployment of ${app} to ${target} is running (${holder?.owner ?? 'unknown'}); ` +
            `wait for it, or stop it; a crashed one frees the lock within ${this.ttlMs / 1000}s`,
          { details: { app, target, holder: holder?.owner ?? null }, transient: true },
        );
      }
      this.held.push(name);
    }
    this.timer = setInterval(() => {
      for (const name of this.held) {
        this.store.locks.heartbeat(name, this.owner, this.ttlMs).then(
          (ok) => {
            if (!ok) this.lost ??= `the lease ${name} was taken over`;
          },
          (error: unknown) => {
            this.lost ??= `renewing the lease ${name} failed: ${error instanceof Error ? error.message : String(error)}`;
          },
        );
      }
    }, this.ttlMs / 4);
    this.timer.unref();
  }

  /** Before switching anything: a deploy that lost its lease must not release over another one. */
  assertHeld(): void {
    if (this.lost !== null) {
      throw new AutomatosError('AUT_CONFLICT', `${this.lost}; stopping before anything is switched`, {
        transient: true,
      });
    }
  }

  async release(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const name of this.held.splice(0)) await this.store.locks.release(name, this.owner);
  }
}
