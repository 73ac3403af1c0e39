// Runs in a worker thread (its own SQLite connection, like another process): appends N records,
// keyed when given the master key, with checkpoints in the shared file.
import { workerData, parentPort } from 'node:worker_threads';
import { AuditLog, deriveAuditKeys } from '../../src/audit/index.js';
import { openStore } from '../../src/store/index.js';

const { dataDir, count, name, master, checkpoints } = workerData as {
  dataDir: string;
  count: number;
  name: string;
  master?: string;
  checkpoints?: string;
};
const store = await openStore({ dataDir, busyTimeoutMs: 20_000 });
const log =
  master === undefined
    ? new AuditLog(store)
    : new AuditLog(store, {
        keys: deriveAuditKeys(Buffer.from(master, 'hex')),
        ...(checkpoints === undefined ? {} : { checkpoints: { file: checkpoints, every: 10 } }),
      });
for (let i = 0; i < count; i += 1) {
  await log.append({ principal: name, source: 'engine', action: 'exec', command: `step ${i}` });
}
log.close();
await store.close();
parentPort?.postMessage('done');
