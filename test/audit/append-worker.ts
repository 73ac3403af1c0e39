// Runs in a worker thread (its own SQLite connection, like another process): appends N records.
import { workerData, parentPort } from 'node:worker_threads';
import { AuditLog } from '../../src/audit/index.js';
import { openStore } from '../../src/store/index.js';

const { dataDir, count, name } = workerData as { dataDir: string; count: number; name: string };
const store = await openStore({ dataDir, busyTimeoutMs: 20_000 });
const log = new AuditLog(store);
for (let i = 0; i < count; i += 1) {
  await log.append({ principal: name, source: 'engine', action: 'exec', command: `step ${i}` });
}
await store.close();
parentPort?.postMessage('done');
