import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskDatabaseUrl, openStore } from '../../src/store/index.js';
import { startPostgres, type Postgres } from '../harness/postgres.js';
import { storeContract } from './store.contract.js';

/** Children before parents (foreign keys). */
const TABLES = [
  'agent_exchanges',
  'workflow_fixes',
  'workflow_steps',
  'log_chunks',
  'workflows',
  'releases',
  'apps',
  'app_secrets',
  'health_results',
  'alerts',
  'locks',
  'targets',
  'keys',
  'audit_events',
  'audit_head',
  'api_keys',
  'webhook_deliveries',
  'repositories',
];

/**
 * One server for the file and one migrated database, emptied before each test (a few ms, where
 * creating a database per test costs 100-250 ms). Tests that need a database never migrated get
 * a new one.
 */
describe('store contract on PostgreSQL', () => {
  let server: Postgres | undefined;
  let url = '';
  let admin: pg.Client | undefined;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase('automatos_contract');
    const store = await openStore({ databaseUrl: url });
    await store.close();
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  storeContract(() => ({
    dialect: 'postgres',
    interleavedTransactions: true,
    fresh: async ({ empty = false } = {}) => {
      if (server === undefined || admin === undefined) throw new Error('PostgreSQL did not start');
      if (empty) return { databaseUrl: await server.createDatabase() };
      // The state 0001_initial leaves: an empty chain whose head is seq 0 and 64 zeros.
      await admin.query(
        `${TABLES.map((t) => `delete from ${t};`).join(' ')}
         insert into audit_head (id, seq, hash, updated_at) values (1, 0, '${'0'.repeat(64)}', '${new Date().toISOString()}');`,
      );
      return { databaseUrl: url };
    },
  }));
});

describe('openStore on PostgreSQL: connection errors', () => {
  it('refuses a URL that is not postgres:// with AUT_INVALID_INPUT, password masked', async () => {
    const error = await openStore({ databaseUrl: 'mysql://u:hunter2@localhost/db' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'AUT_INVALID_INPUT',
      message: expect.stringContaining('mysql://u:***@'),
    });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('reports an unreachable server as AUT_STORE without the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
      });
    });
    const error = await openStore({ databaseUrl: `postgres://app:hunter2@127.0.0.1:${port}/x` }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'AUT_STORE',
      message: expect.stringContaining(`postgres://app:***@127.0.0.1:${port}/x`),
    });
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('masks passwords in URLs', () => {
    expect(maskDatabaseUrl('postgres://a:b@h:5432/d?sslmode=require&password=x')).toBe(
      'postgres://a:***@h:5432/d?sslmode=require&password=***',
    );
    expect(maskDatabaseUrl('postgres://h/d')).toBe('postgres://h/d');
  });
});
