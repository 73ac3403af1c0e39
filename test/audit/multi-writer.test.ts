import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuditLog, checkpointPath, deriveAuditKeys } from '../../src/audit/index.js';
import { useTempStores } from '../store/temp-store.js';

function runWorker(
  dataDir: string,
  name: string,
  count: number,
  keyed: { master: string; checkpoints: string } | Record<string, never> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit vitest's TypeScript transform: register tsx inside it, then load the script.
    const script = new URL('./append-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { dataDir, name, count, ...keyed } });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`worker ${name} exited ${code}`)),
    );
  });
}

describe('AuditLog with several writers on one SQLite file (own connections, as separate processes)', () => {
  const temp = useTempStores();

  it('keeps one valid chain when 3 workers append at the same time', async () => {
    const dataDir = temp.dataDir();
    const store = await temp.open(dataDir); // migrates before the workers start
    await Promise.all(['w1', 'w2', 'w3'].map((name) => runWorker(dataDir, name, 25)));
    const log = new AuditLog(store);
    expect(await log.verify()).toMatchObject({ ok: true, count: 75 });
    const writers = new Set((await log.list()).map((e) => e.principal));
    expect([...writers].sort()).toEqual(['w1', 'w2', 'w3']);
  });

  it('keeps one keyed chain and one valid checkpoint file when 3 keyed workers append at the same time', async () => {
    const dataDir = temp.dataDir();
    const store = await temp.open(dataDir);
    const master = randomBytes(32);
    const checkpoints = checkpointPath(dataDir);
    await Promise.all(
      ['w1', 'w2', 'w3'].map((name) =>
        runWorker(dataDir, name, 25, { master: master.toString('hex'), checkpoints }),
      ),
    );
    const lines = readFileSync(checkpoints, 'utf8').trim().split('\n');
    // The chain start, seq 10..70 (each by whichever worker appended it), and up to 3 on close.
    expect(lines.length).toBeGreaterThanOrEqual(8);
    const log = new AuditLog(store, { keys: deriveAuditKeys(master), checkpoints: { file: checkpoints } });
    expect(await log.verify()).toMatchObject({
      ok: true,
      count: 75,
      keyedFrom: 1,
      checkpoints: { total: lines.length, verified: lines.length },
    });
  });
});
