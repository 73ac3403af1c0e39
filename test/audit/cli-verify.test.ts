import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../src/audit/index.js';
import { runCli } from '../cli/run-cli.js';
import { Attacker } from './attacker.js';

/** `automatos audit verify` end to end: the orchestrator's keyed log, its checkpoint file, the CLI's words. */
describe('automatos audit verify', () => {
  let dataDir: string;
  const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'automatos-audit-cli-'));
    // Five audited commands on the local target (each a decision, a result and whatever else exec records).
    for (let i = 0; i < 5; i += 1)
      expect((await cli('exec', '--target', 'local', '--', 'true')).code).toBe(0);
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('says intact, keyed, and signs a checkpoint; JSON has the same verdict', async () => {
    const text = await cli('audit', 'verify');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^audit log intact: \d+ records, head [0-9a-f]{16}…\n/);
    expect(text.stdout).toContain('keyed chain: from record 1 (HMAC-SHA256)');
    expect(text.stdout).toContain(`in ${join(dataDir, 'audit', 'checkpoints.log')}`);
    const json = JSON.parse((await cli('audit', 'verify', '--json')).stdout) as VerifyResult;
    expect(json).toMatchObject({ ok: true, keyedFrom: 1, legacy: 0, problems: [] });
    expect(json.count).toBeGreaterThanOrEqual(10);
    expect(json.checkpoints.last?.seq).toBe(json.count);
  });

  it('names the record and the check after a rewrite recomputed with SHA-256, in text and JSON', async () => {
    const before = JSON.parse((await cli('audit', 'verify', '--json')).stdout) as VerifyResult; // signs the last record
    const last = before.count;
    const attacker = new Attacker(join(dataDir, 'automatos.db'));
    attacker.rewrite(3, 'echo innocent', 'sha256');
    attacker.close();
    const text = await cli('audit', 'verify');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^audit log BROKEN at record 3 \(downgrade\): Record 3 is stored as an unkeyed/,
    );
    expect(text.stdout).toMatch(/^ {2}chain {6}downgrade record 3, id [0-9a-f-]+: /m);
    expect(text.stdout).toContain(`  head       head_mismatch record ${last}: The head row was rewritten`);
    // Each CLI command signed its last record on close: the first one after record 3 no longer matches.
    expect(text.stdout).toMatch(
      /^ {2}checkpoint checkpoint_mismatch line \d+, record \d+, id .*later checkpoint\(s\) no longer match/m,
    );
    const json = JSON.parse((await cli('audit', 'verify', '--json')).stdout) as VerifyResult;
    expect(json.problems.map((p) => [p.check, p.reason, p.seq])).toEqual([
      ['chain', 'downgrade', 3],
      ['head', 'head_mismatch', last],
      ['checkpoint', 'checkpoint_mismatch', expect.any(Number)],
    ]);
  });
});
