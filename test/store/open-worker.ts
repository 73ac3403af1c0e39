// Runs in a worker thread (its own SQLite connection, like another process): opens the data dir,
// which migrates it if needed, and reports the migrations it found applied.
import { parentPort, workerData } from 'node:worker_threads';
import { sql } from 'kysely';
import { openStore } from '../../src/store/index.js';

const { dataDir } = workerData as { dataDir: string };
const store = await openStore({ dataDir, busyTimeoutMs: 20_000 });
const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
await store.apps.ensure(`app-${Math.random().toString(36).slice(2)}`);
await store.close();
parentPort?.postMessage(rows.rows.map((r) => r.name));
