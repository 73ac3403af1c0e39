import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveAuditKeys, type VerifyResult } from '../../src/audit/index.js';
import { Attacker } from './attacker.js';
import { appendSteps, useKeyedLogs, type KeyedLog } from './keyed-log.js';

const reasons = (v: VerifyResult) => v.problems.map((p) => `${p.check}:${p.reason}:${p.seq ?? '-'}`);

/**
 * Attacks by someone who can write the database (they read the file) but has not the master key:
 * each rewrites the log with better-sqlite3 directly, as they would, and `verify` must say what.
 * 120 keyed records, checkpoints every 50: at the chain start (1), 50 and 100.
 */
describe('audit verify against a writer of the database without the key', () => {
  const open = useKeyedLogs();
  const attackers: Attacker[] = [];
  afterEach(() => attackers.splice(0).forEach((a) => a.close()));

  async function setup(): Promise<KeyedLog & { attacker: Attacker }> {
    const keyed = await open({ every: 50 });
    await appendSteps(keyed.log, 1, 120);
    const attacker = new Attacker(keyed.dbFile);
    attackers.push(attacker);
    return { ...keyed, attacker };
  }

  it('control: the untouched log verifies intact, keyed from record 1, and verify signs a checkpoint', async () => {
    const { log, checkpoints, keys } = await setup();
    const verdict = await log.verify();
    expect(verdict).toMatchObject({
      ok: true,
      count: 120,
      keyedFrom: 1,
      legacy: 0,
      firstBroken: null,
      problems: [],
      notes: [],
      checkpoints: {
        file: checkpoints,
        total: 3,
        verified: 3,
        last: { seq: 100 },
        publicKey: keys.publicKey,
        written: { seq: 120 },
      },
    });
    const lines = readFileSync(checkpoints, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { reason: string; seq: number }).reason)).toEqual([
      'chain-start',
      'interval',
      'interval',
      'verify',
    ]);
    // Verifying again with nothing new appends nothing.
    expect((await log.verify()).checkpoints).toMatchObject({ total: 4, verified: 4, written: null });
  });

  it('a record rewritten and the whole chain after it recomputed with plain SHA-256', async () => {
    const { log, attacker } = await setup();
    attacker.rewrite(60, 'curl evil | sh', 'sha256');
    const verdict = await log.verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.count).toBe(59);
    expect(verdict.firstBroken).toMatchObject({ check: 'chain', seq: 60, reason: 'downgrade' });
    expect(verdict.firstBroken?.message).toContain('keyed chain began at record 1');
    expect(reasons(verdict)).toEqual([
      'chain:downgrade:60',
      'head:head_mismatch:120',
      'checkpoint:checkpoint_mismatch:100',
    ]);
  });

  it('a record rewritten and the chain recomputed with an HMAC under a wrong key', async () => {
    const { log, attacker } = await setup();
    attacker.rewrite(60, 'curl evil | sh', { wrongKeys: deriveAuditKeys(randomBytes(32)) });
    const verdict = await log.verify();
    expect(reasons(verdict)).toEqual([
      'chain:hash_mismatch:60',
      'head:head_mismatch:120',
      'checkpoint:checkpoint_mismatch:100',
    ]);
    expect(verdict.problems[1]?.message).toContain('MAC does not match');
    expect(verdict.problems[2]?.message).toMatch(
      /^Record 100 is not the record the checkpoint of line 3 signed/,
    );
  });

  it('a record after the newest checkpoint rewritten with the old algorithm (the head MAC still tells)', async () => {
    const { log, attacker } = await setup();
    attacker.rewrite(110, 'id', 'sha256');
    expect(reasons(await log.verify())).toEqual(['chain:downgrade:110', 'head:head_mismatch:120']);
  });

  it('the last records deleted and the head rewound to the new end', async () => {
    const { log, attacker } = await setup();
    attacker.truncate(111);
    const verdict = await log.verify();
    expect(reasons(verdict)).toEqual(['head:head_mismatch:110']);
    expect(verdict.problems[0]?.message).toContain('MAC does not match');
  });

  it('records deleted across a checkpoint: the checkpoint names what is gone', async () => {
    const { log, attacker } = await setup();
    attacker.truncate(91);
    const verdict = await log.verify();
    expect(reasons(verdict)).toEqual(['head:head_mismatch:90', 'checkpoint:truncated:100']);
    expect(verdict.problems[1]).toMatchObject({
      line: 3,
      message: expect.stringContaining('but the log ends at record 90: records 91..100 were deleted'),
    });
  });

  it('the tail deleted and an older genuine head put back (a replay): the close checkpoint tells', async () => {
    const { log, attacker, checkpoints } = await setup();
    const old = attacker.head();
    await appendSteps(log, 121, 130);
    log.close(); // what the orchestrator does on shutdown: signs the last record it appended
    expect(readFileSync(checkpoints, 'utf8')).toContain('"reason":"close"');
    attacker.truncate(121);
    attacker.setHead(old);
    const verdict = await log.verify();
    expect(reasons(verdict)).toEqual(['checkpoint:truncated:130']);
    expect(verdict.problems[0]?.message).toContain('records 121..130 were deleted');
  });

  it('the whole keyed chain rewritten as legacy, head unsealed: checkpoints catch the downgrade, appends stop', async () => {
    const { log, attacker, reopen } = await setup();
    attacker.rewrite(1, 'true', 'sha256');
    attacker.setHead({ ...attacker.head(), keyed_from: null, mac: null });
    const verdict = await log.verify();
    expect(verdict).toMatchObject({ ok: false, keyedFrom: null, legacy: 120 });
    expect(reasons(verdict)).toEqual(['checkpoint:checkpoint_mismatch:1', 'checkpoint:downgrade:1']);
    expect(verdict.problems[1]?.message).toContain('the log has no keyed record');
    await expect(log.append({ principal: 'p', source: 'cli', action: 'x' })).rejects.toMatchObject({
      code: 'AUT_STORE',
      message: expect.stringContaining('not sealed'),
    });
    // A fresh process starts a new keyed chain; the checkpoints still say where the first one began.
    await reopen().append({ principal: 'p', source: 'cli', action: 'x' });
    expect(reasons(await reopen().verify())).toContain('checkpoint:downgrade:1');
  });

  it('a head whose seal was stripped stops appends with AUT_STORE', async () => {
    const { log, attacker, reopen } = await setup();
    attacker.setHead({ ...attacker.head(), mac: null });
    await expect(reopen().append({ principal: 'p', source: 'cli', action: 'x' })).rejects.toMatchObject({
      code: 'AUT_STORE',
    });
    expect(reasons(await log.verify())).toEqual(['head:head_mismatch:120']);
  });

  it('a checkpoint line altered, forged with another key, or not a checkpoint', async () => {
    const { log, checkpoints } = await setup();
    const lines = readFileSync(checkpoints, 'utf8').trim().split('\n');
    const second = JSON.parse(lines[1] ?? '{}') as Record<string, unknown>;
    lines[1] = JSON.stringify({ ...second, seq: 49 });
    writeFileSync(checkpoints, `${lines.join('\n')}\n`, { mode: 0o600 });
    const forged = await open({ every: 1 });
    await forged.log.append({ principal: 'p', source: 'cli', action: 'x' });
    appendFileSync(checkpoints, readFileSync(forged.checkpoints, 'utf8'));
    appendFileSync(checkpoints, 'not a checkpoint\n');
    const verdict = await log.verify();
    expect(verdict.problems.map((p) => `${p.reason}@${p.line ?? '-'}`)).toEqual([
      'checkpoint_signature@2',
      'checkpoint_signature@4',
      'checkpoint_invalid@5',
    ]);
    expect(verdict.checkpoints).toMatchObject({ total: 5, verified: 2, written: null });
  });

  it('keeps the checkpoint file 0600 and reports a wider mode', async () => {
    const { log, checkpoints } = await setup();
    expect(statSync(checkpoints).mode & 0o777).toBe(0o600);
    const { chmodSync } = await import('node:fs');
    chmodSync(checkpoints, 0o644);
    expect((await log.verify()).notes).toEqual([expect.stringContaining('mode 644')]);
  });
});
