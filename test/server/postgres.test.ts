// The API on a real PostgreSQL server (test/harness/postgres.ts): readiness, keys, targets,
// workflows and the audit chain go through the same repositories as on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Postgres } from '../harness/postgres.js';
import { startApi, type Api } from './harness.js';

let pg: Postgres;
let api: Api;

beforeAll(async () => {
  pg = await startPostgres();
  api = await startApi({ databaseUrl: await pg.createDatabase('automatos_api') });
}, 60_000);
afterAll(async () => {
  await api?.close();
  await pg?.stop();
});

describe('the API on PostgreSQL', () => {
  it('is ready, authenticates keys, stores targets, stops workflows and keeps the audit chain', async () => {
    expect(await (await api.call('GET', '/ready', { key: null })).json()).toMatchObject({
      database: 'postgres',
    });
    expect(
      (await api.call('GET', '/workflows', { key: 'atm_0000000000000000_' + 'x'.repeat(43) })).status,
    ).toBe(401);
    const created = await api.call('POST', '/api/v1/keys', {
      body: { role: 'operator', targets: ['web-1'] },
    });
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect((await api.call('GET', '/workflows', { key })).status).toBe(200);
    expect(
      (await api.call('POST', '/api/v1/targets', { body: { name: 'web-1', host: '10.0.0.1', agent: true } }))
        .status,
    ).toBe(201);
    await api.orch.store.workflows.create({
      id: 'wf-pg',
      tier: 1,
      source: 'https://example.com/x.git',
      app: 'x',
      targets: ['web-1'],
      requestedBy: 'test',
    });
    const stopped = await api.call('DELETE', '/workflows/wf-pg', { key });
    expect(stopped.status).toBe(202);
    expect((await api.call('DELETE', '/workflows/wf-pg', { key })).status).toBe(409);
    expect((await api.call('DELETE', `/api/v1/keys/${id}`)).status).toBe(200);
    expect((await api.call('GET', '/workflows', { key })).status).toBe(401);
    expect(await (await api.call('GET', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  }, 30_000);
});
