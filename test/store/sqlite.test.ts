import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { storeContract } from './store.contract.js';
import { useTempStores } from './temp-store.js';

describe('store contract on SQLite', () => {
  const temp = useTempStores();
  storeContract(() => ({
    dialect: 'sqlite',
    interleavedTransactions: false,
    fresh: () => Promise.resolve({ dataDir: temp.dataDir() }),
  }));
});

function openInWorker(dataDir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit vitest's TypeScript transform: register tsx inside it first.
    const script = new URL('./open-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { dataDir } });
    let result: string[] | undefined;
    worker.once('message', (message: string[]) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 && result !== undefined ? resolve(result) : reject(new Error(`worker exited ${code}`)),
    );
  });
}

describe('SQLite store opened by several processes', () => {
  const temp = useTempStores();

  it('migrates a new data dir once when 4 processes open it at the same time', async () => {
    const dataDir = temp.dataDir();
    const results = await Promise.all([1, 2, 3, 4].map(() => openInWorker(dataDir)));
    for (const names of results)
      expect(names).toEqual([
        '0001_initial',
        '0002_workflows',
        '0003_monitoring',
        '0004_api_keys',
        '0005_repositories',
        '0006_tier2',
        '0007_audit_keyed',
        '0008_target_sandbox',
      ]);
    const store = await temp.open(dataDir);
    expect(await store.apps.list()).toHaveLength(4);
  });

  it('leaves nothing behind when a migration fails (it runs in one transaction)', async () => {
    const dataDir = temp.dataDir();
    const first = await openStore({ dataDir });
    // Undo 0006 to 0002, then plant a table 0002 creates last, so it fails after creating the others.
    for (const table of [
      'agent_exchanges',
      'workflow_fixes',
      'webhook_deliveries',
      'repositories',
      'api_keys',
      'alerts',
      'locks',
      'health_results',
      'app_secrets',
      'releases',
      'apps',
      'log_chunks',
      'workflow_steps',
      'workflows',
    ]) {
      await first.db.schema.dropTable(table).execute();
    }
    await sql`delete from kysely_migration where name in ('0002_workflows', '0003_monitoring', '0004_api_keys', '0005_repositories', '0006_tier2', '0007_audit_keyed', '0008_target_sandbox')`.execute(
      first.db,
    );
    await first.db.schema.createTable('locks').addColumn('x', 'text').execute();
    await first.close();

    await expect(openStore({ dataDir })).rejects.toMatchObject({
      code: 'AUT_STORE',
      message: expect.stringContaining('0002_workflows'),
    });
    const raw = new SQLite(join(dataDir, 'automatos.db'), { readonly: true });
    const tables = raw
      .prepare(`select name from sqlite_master where type = 'table' order by name`)
      .pluck()
      .all();
    raw.close();
    expect(tables).toEqual([
      'audit_events',
      'audit_head',
      'keys',
      'kysely_migration',
      'kysely_migration_lock',
      'locks',
      'targets',
    ]);
  });
});
