import { describe, expect, it } from 'vitest';
import { AuditLog, hashEvent, ZERO_HASH, type AuditRecord } from '../../src/audit/index.js';
import { createRedactor } from '../../src/security/index.js';
import { useTempStores } from '../store/temp-store.js';

const record = (i: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
  principal: 'alice',
  source: 'cli',
  action: 'exec',
  target: i % 2 === 0 ? 'web' : 'db',
  command: `echo ${i}`,
  decision: 'allow',
  rule: 'standard.default',
  risk: i % 100,
  result: { exitCode: 0, durationMs: i, stdoutBytes: 2, stderrBytes: 0 },
  workflowId: 'wf-1',
  details: { i, nested: { b: 2, a: 1 } },
  ...over,
});

describe('AuditLog', () => {
  const temp = useTempStores();

  it('chains records: first prev_hash is 64 zeros, each hash is sha256 of the canonical record', async () => {
    const log = new AuditLog(await temp.open());
    const first = await log.append(record(1));
    const second = await log.append(record(2, { decision: 'deny', result: null }));
    expect(first).toMatchObject({
      seq: 1,
      prevHash: ZERO_HASH,
      principal: 'alice',
      source: 'cli',
      target: 'db',
    });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const { hash, ...rest } = first;
    expect(hashEvent(rest)).toBe(hash);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, decision: 'deny', result: null });
  });

  it('appends 100 records and verifies them', async () => {
    const log = new AuditLog(await temp.open());
    for (let i = 1; i <= 100; i += 1) await log.append(record(i));
    const result = await log.verify();
    expect(result).toMatchObject({ ok: true, count: 100, head: { seq: 100 } });
  });

  it('tells observers about every stored event, redacted, and survives a throwing observer', async () => {
    const log = new AuditLog(await temp.open());
    const seen: string[] = [];
    log.observe(() => {
      throw new Error('broken observer');
    });
    const off = log.observe((e) => seen.push(`${e.seq}:${e.action}:${e.command ?? ''}`));
    await log.append({ principal: 'p', source: 'cli', action: 'exec', command: 'echo password=hunter2' });
    off();
    await log.append({ principal: 'p', source: 'cli', action: 'exec.result' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^1:exec:echo /);
    expect(seen[0]).not.toContain('hunter2');
    expect((await log.verify()).ok).toBe(true);
  });

  it('verifies an empty log', async () => {
    expect(await new AuditLog(await temp.open()).verify()).toEqual({
      ok: true,
      count: 0,
      head: { seq: 0, hash: ZERO_HASH },
      keyedFrom: null,
      legacy: 0,
      firstBroken: null,
      problems: [],
      checkpoints: { file: null, total: 0, verified: 0, last: null, publicKey: null, written: null },
      notes: [],
    });
  });

  it('keeps one chain under 50 concurrent appends (and across two AuditLog objects)', async () => {
    const store = await temp.open();
    const a = new AuditLog(store);
    const b = new AuditLog(store);
    const events = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).append(record(i))));
    expect(events.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(await a.verify()).toMatchObject({ ok: true, count: 50 });
  });

  it('keeps appending after a rejected record', async () => {
    const log = new AuditLog(await temp.open());
    const results = await Promise.allSettled([
      log.append(record(1)),
      log.append({ ...record(2), risk: 500 }),
      log.append(record(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('stores commands and detail strings redacted', async () => {
    const store = await temp.open();
    const log = new AuditLog(store, { redact: createRedactor(['Sup3rSecretValue']) });
    const event = await log.append(
      record(1, {
        command: 'DB_URL=postgres://app:Sup3rSecretValue@db/x ./migrate --token=Sup3rSecretValue',
        details: { env: { PASSWORD: 'Sup3rSecretValue' }, argv: ['--password=hunter22'] },
      }),
    );
    expect(event.command).toBe('DB_URL=postgres://app:[REDACTED]@db/x ./migrate --token=[REDACTED]');
    const raw = JSON.stringify(await store.db.selectFrom('audit_events').selectAll().execute());
    expect(raw).not.toContain('Sup3rSecretValue');
    expect(raw).not.toContain('hunter22');
    expect(await log.verify()).toMatchObject({ ok: true });
  });

  it('redacts obvious credentials by default', async () => {
    const log = new AuditLog(await temp.open());
    const event = await log.append(
      record(1, { command: 'curl -H "Authorization: Bearer abc.def.ghi" https://x' }),
    );
    expect(event.command).toBe('curl -H "Authorization: Bearer [REDACTED]" https://x');
  });

  it('lists by target, since and limit, oldest first', async () => {
    const times = ['2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z'];
    const log = new AuditLog(await temp.open());
    for (let i = 0; i < 6; i += 1) await log.append(record(i, { at: times[i % 3] ?? '' }));
    expect((await log.list()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await log.list({ target: 'web' })).map((e) => e.seq)).toEqual([1, 3, 5]);
    expect((await log.list({ since: new Date('2025-01-02T00:00:00Z') })).map((e) => e.seq)).toEqual([
      2, 3, 5, 6,
    ]);
    expect((await log.list({ limit: 2 })).map((e) => e.seq)).toEqual([5, 6]);
    await expect(log.list({ since: 'yesterday-ish' })).rejects.toMatchObject({ code: 'AUT_INVALID_INPUT' });
  });

  it('rejects invalid records with AUT_INVALID_INPUT naming the field', async () => {
    const log = new AuditLog(await temp.open());
    await expect(log.append({ ...record(1), source: 'ftp' as 'cli' })).rejects.toMatchObject({
      code: 'AUT_INVALID_INPUT',
      message: expect.stringContaining('source'),
    });
    await expect(log.append({ ...record(1), details: { n: NaN } })).rejects.toMatchObject({
      code: 'AUT_INVALID_INPUT',
    });
  });
});
