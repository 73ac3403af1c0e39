import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AuditLog, checkpointPath, deriveAuditKeys } from '../../src/audit/index.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openStore, DATABASE_FILE } from '../../src/store/index.js';
import { Attacker } from './attacker.js';
import { appendSteps } from './keyed-log.js';
import { useTempStores } from '../store/temp-store.js';
import { join } from 'node:path';

/**
 * A database from before the keyed chain: 30 records written by the old code (plain SHA-256, no
 * `alg` column, no head seal), then migrated by 0007 and appended to with the key.
 */
describe('upgrading a legacy audit log to the keyed chain', () => {
  const temp = useTempStores();

  async function legacyThenKeyed(keyedRecords: number) {
    const dataDir = temp.dataDir();
    const old = await temp.open(dataDir);
    await appendSteps(new AuditLog(old), 1, 30);
    // Back to the schema before 0007, as an installation of the previous release has it (later
    // migrations are undone first, newest first, so 0007 is the next one to run).
    const migrations = await migrationProvider.getMigrations();
    const later = Object.keys(migrations)
      .filter((name) => name >= '0007')
      .sort()
      .reverse();
    for (const name of later) {
      await migrations[name]?.down?.(old.db);
      await sql`delete from kysely_migration where name = ${name}`.execute(old.db);
    }
    expect(
      (
        await sql<{ name: string }>`select name from pragma_table_info('audit_events')`.execute(old.db)
      ).rows.map((r) => r.name),
    ).not.toContain('alg');
    await old.close();
    const store = await openStore({ dataDir });
    const keys = deriveAuditKeys(randomBytes(32));
    const file = checkpointPath(dataDir);
    const log = new AuditLog(store, { keys, checkpoints: { file, every: 100 } });
    await appendSteps(log, 31, 30 + keyedRecords);
    const attacker = new Attacker(join(dataDir, DATABASE_FILE));
    return { store, log, attacker, close: async () => (attacker.close(), store.close()) };
  }

  it('verifies old records as legacy and every new one as keyed, and says how many are unkeyed', async () => {
    const { log, store, close } = await legacyThenKeyed(20);
    const rows = await store.audit.scan(0, 100);
    expect(rows.filter((r) => r.alg === 'sha256').map((r) => r.seq)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(rows.filter((r) => r.alg === 'hmac-sha256')).toHaveLength(20);
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: true, count: 50, keyedFrom: 31, legacy: 30 });
    expect(verdict.notes).toEqual([
      expect.stringMatching(/^30 records before the keyed chain began are unkeyed/),
    ]);
    await close();
  });

  it('reports a legacy log not yet appended to as unkeyed, keyed chain not begun', async () => {
    const { log, close } = await legacyThenKeyed(0);
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: true, count: 30, keyedFrom: null, legacy: 30 });
    expect(verdict.notes[0]).toMatch(/^30 records are unkeyed .*the keyed chain begins with the next record/);
    await close();
  });

  it('a rewritten legacy record, its legacy chain recomputed: the first keyed record no longer links', async () => {
    const { log, attacker, close } = await legacyThenKeyed(20);
    attacker.rewrite(10, 'rm -rf /', 'none');
    attacker.reseal(10, 'sha256', 30);
    const verdict = await log.verify();
    expect(verdict.firstBroken).toMatchObject({ check: 'chain', seq: 31, reason: 'prev_hash_mismatch' });
    // The chain-start checkpoint signed record 31 as it is: the break is in what 31 links to.
    expect(verdict.problems).toHaveLength(1);
    await close();
  });

  it('the legacy records and the keyed tail all recomputed as legacy: a downgrade from record 31', async () => {
    const { log, attacker, close } = await legacyThenKeyed(20);
    attacker.rewrite(10, 'rm -rf /', 'sha256');
    const verdict = await log.verify();
    expect(verdict.problems.map((p) => `${p.check}:${p.reason}:${p.seq ?? '-'}`)).toEqual([
      'chain:downgrade:31',
      'head:head_mismatch:50',
      'checkpoint:checkpoint_mismatch:31',
      'checkpoint:downgrade:31',
    ]);
    await close();
  });

  it('a keyed record rewritten as legacy (downgrade) with the chain after it recomputed', async () => {
    const { log, attacker, close } = await legacyThenKeyed(20);
    attacker.rewrite(35, 'id', 'sha256');
    const verdict = await log.verify();
    expect(verdict.firstBroken).toMatchObject({ check: 'chain', seq: 35, reason: 'downgrade' });
    expect(verdict.problems.map((p) => p.check)).toEqual(['chain', 'head']);
    await close();
  });
});
