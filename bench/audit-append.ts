/**
 * Audit appends per second on the embedded SQLite store, the same records three ways in one run:
 * unkeyed (plain SHA-256, the chain before 0007), keyed (HMAC-SHA256 record + sealed head), and
 * keyed with signed checkpoints every 100 records (what the orchestrator runs).
 * Run: npx tsx bench/audit-append.ts  (BENCH_N records per round, default 5000; 3 rounds, best kept)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLog,
  checkpointPath,
  deriveAuditKeys,
  hashEvent,
  headMac,
  keyedHash,
  type AuditEvent,
  type AuditLogOptions,
} from '../src/audit/index.js';
import { openStore } from '../src/store/index.js';

const N = Number(process.env['BENCH_N'] ?? 5000);
const ROUNDS = 3;
const keys = deriveAuditKeys(randomBytes(32));
const work = mkdtempSync(join(tmpdir(), 'automatos-bench-audit-'));

const record = (i: number) => ({
  principal: 'bench',
  source: 'engine' as const,
  action: 'exec',
  target: 'web',
  command: `systemctl restart app-${i}`,
  decision: 'allow' as const,
  rule: 'standard.default',
  risk: 10,
  result: { exitCode: 0, durationMs: 12, stdoutBytes: 0, stderrBytes: 0 },
  workflowId: 'wf-bench',
  details: { step: 'release', i },
});

async function appendsPerSecond(dataDir: string, options: AuditLogOptions): Promise<number> {
  const store = await openStore({ dataDir });
  const log = new AuditLog(store, options);
  for (let i = 0; i < 200; i += 1) await log.append(record(i)); // warm-up: statements, JIT
  const started = performance.now();
  for (let i = 0; i < N; i += 1) await log.append(record(i));
  const rate = N / ((performance.now() - started) / 1000);
  if (!(await log.verify()).ok) throw new Error(`${dataDir}: the log does not verify`);
  await store.close();
  return rate;
}

const variants: Record<string, (dataDir: string) => AuditLogOptions> = {
  unkeyed: () => ({}),
  keyed: () => ({ keys }),
  checkpointed: (dataDir) => ({ keys, checkpoints: { file: checkpointPath(dataDir) } }),
};
const best: Record<string, number> = {};
// Rounds interleave the variants, so a noisy neighbour or a warming disk does not favour one.
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, options] of Object.entries(variants)) {
    const dataDir = join(work, `${name}-${round}`);
    best[name] = Math.max(best[name] ?? 0, await appendsPerSecond(dataDir, options(dataDir)));
  }
}
const unkeyed = best['unkeyed'] ?? 0;
const keyed = best['keyed'] ?? 0;
const checkpointed = best['checkpointed'] ?? 0;
// The sealing alone, without the database: what the HMAC adds to each append.
const sample = (await (async () => {
  const dataDir = join(work, 'sample');
  const store = await openStore({ dataDir });
  const event = await new AuditLog(store, { keys }).append(record(1));
  await store.close();
  return event;
})()) satisfies AuditEvent;
function microseconds(seal: () => void): number {
  for (let i = 0; i < 2000; i += 1) seal();
  const started = performance.now();
  for (let i = 0; i < 50_000; i += 1) seal();
  return ((performance.now() - started) * 1000) / 50_000;
}
const sha = microseconds(() => hashEvent(sample));
const hmac = microseconds(() => {
  const hash = keyedHash(keys, sample);
  headMac(keys, { seq: sample.seq, hash, keyedFrom: 1 });
});
rmSync(work, { recursive: true, force: true });

const row = (path: string, rate: number) => ({
  path,
  'appends/s': Math.round(rate),
  'µs/append': Number((1e6 / rate).toFixed(1)),
  'ratio to unkeyed': Number((unkeyed / rate).toFixed(3)),
});
console.table([
  row('unkeyed SHA-256 chain (before)', unkeyed),
  row('keyed HMAC-SHA256 + sealed head', keyed),
  row('keyed + Ed25519 checkpoint every 100', checkpointed),
]);
console.log(`${N} sequential appends per round, best of ${ROUNDS}; goal: keyed / unkeyed <= 1.10`);
console.log(`sealing one record: SHA-256 ${sha.toFixed(1)} µs, HMAC record + head MAC ${hmac.toFixed(1)} µs`);
