import type { Kysely } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database } from './schema.js';

/**
 * A lease: held by `owner` until `expiresAt` (epoch ms) unless renewed by a heartbeat. A crashed
 * holder's lease simply expires; nothing needs a manual unlock.
 */
export interface Lock {
  name: string;
  owner: string;
  acquiredAt: string;
  expiresAt: number;
}

function checkTtl(ttlMs: number, now: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || !Number.isSafeInteger(now)) {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      `A lock TTL must be a positive integer of ms (got ${ttlMs}).`,
      {
        details: { ttlMs, now },
      },
    );
  }
}

/**
 * Every operation is one statement whose WHERE clause is the condition (and the affected row count
 * the answer), so it is atomic across processes on SQLite and PostgreSQL alike. `now` is the
 * caller's clock (epoch ms), injectable for tests; holders of one lock should share a time source.
 */
export class LocksRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Takes the lease if it is free, expired, or already held by `owner` (then it is renewed).
   * Returns false while another owner holds an unexpired lease.
   */
  async acquire(name: string, owner: string, ttlMs: number, now: number = Date.now()): Promise<boolean> {
    checkTtl(ttlMs, now);
    const values = { owner, acquired_at: new Date(now).toISOString(), expires_at: now + ttlMs };
    for (let attempt = 1; ; attempt += 1) {
      const inserted = await this.db
        .insertInto('locks')
        .values({ name, ...values })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return true;
      const taken = await this.db
        .updateTable('locks')
        .set(values)
        .where('name', '=', name)
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('owner', '=', owner)]))
        .executeTakeFirst();
      if (taken.numUpdatedRows === 1n) return true;
      // Released between the two statements: the lease is free, so try the insert once more.
      if (attempt >= 2 || (await this.get(name)) !== undefined) return false;
    }
  }

  /** Extends the lease to `now + ttlMs`; false if `owner` no longer holds it (taken over or released). */
  async heartbeat(name: string, owner: string, ttlMs: number, now: number = Date.now()): Promise<boolean> {
    checkTtl(ttlMs, now);
    const result = await this.db
      .updateTable('locks')
      .set({ expires_at: now + ttlMs })
      .where('name', '=', name)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Gives the lease up; false if `owner` did not hold it. */
  async release(name: string, owner: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('locks')
      .where('name', '=', name)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /** The stored lease, expired or not (compare `expiresAt` with your clock). */
  async get(name: string): Promise<Lock | undefined> {
    const row = await this.db.selectFrom('locks').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined
      ? undefined
      : { name: row.name, owner: row.owner, acquiredAt: row.acquired_at, expiresAt: Number(row.expires_at) };
  }

  /** Every stored lease whose name starts with `prefix`, by name. */
  async list(prefix = ''): Promise<Lock[]> {
    const rows = await this.db.selectFrom('locks').selectAll().orderBy('name').execute();
    return rows
      .filter((row) => row.name.startsWith(prefix))
      .map((row) => ({
        name: row.name,
        owner: row.owner,
        acquiredAt: row.acquired_at,
        expiresAt: Number(row.expires_at),
      }));
  }
}
