// The store side of push deduplication, on SQLite and on a real PostgreSQL: one claim per
// (registration, ref, commit), taken over only as it was read, and the source match that finds a
// repository's workflows with LIKE wildcards taken literally.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { startPostgres, type Postgres } from '../harness/postgres.js';

let dir: string;
let pgServer: Postgres | undefined;
const stores: Store[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'automatos-claims-'));
  stores.push(await openStore({ dataDir: dir }));
  pgServer = await startPostgres();
  stores.push(await openStore({ databaseUrl: await pgServer.createDatabase('automatos_claims') }));
}, 60_000);

afterAll(async () => {
  for (const store of stores) await store.close();
  await pgServer?.stop();
  await rm(dir, { recursive: true, force: true });
});

const SHA = 'a'.repeat(40);

describe.each(['sqlite', 'postgres'])('push claims on %s', (dialect) => {
  const store = () => stores[dialect === 'sqlite' ? 0 : 1] as Store;

  it('admits one delivery per (registration, ref, commit)', async () => {
    const repos = store().repositories;
    const claim = { repository: 'shop', ref: 'main', commit: SHA, delivery: 'github:d-1' };
    expect(await repos.claimPush(claim)).toBe(true);
    expect(await repos.claimPush({ ...claim, delivery: 'github:d-2' })).toBe(false);
    // Another ref or registration is another push.
    expect(await repos.claimPush({ ...claim, ref: 'release' })).toBe(true);
    expect(await repos.claimPush({ ...claim, repository: 'shop-eu' })).toBe(true);
    await repos.settlePush('shop', 'main', SHA, 'failed: unreachable', null);
    const failed = await repos.findPush('shop', 'main', SHA);
    expect(failed).toMatchObject({ outcome: 'failed: unreachable', workflowId: null });
    // A retry takes over the claim as it was read, once.
    expect(await repos.claimPush({ ...claim, delivery: 'github:d-3' }, failed)).toBe(true);
    expect(await repos.claimPush({ ...claim, delivery: 'github:d-4' }, failed)).toBe(false);
    expect((await repos.findPush('shop', 'main', SHA))?.outcome).toBe('claimed by github:d-3');
  });

  it("finds a repository's workflows by a fragment of their source, wildcards literal", async () => {
    const s = store();
    const add = (id: string, source: string) =>
      s.workflows.create({
        id,
        tier: 1,
        source,
        app: 'shop',
        targets: ['web-1'],
        requestedBy: 'test',
        commitSha: SHA,
        status: 'succeeded',
      });
    await add(`wf-1-${dialect}`, 'https://GitHub.com/acme/my_shop.git');
    await add(`wf-2-${dialect}`, 'https://github.com/acme/myXshop.git');
    const found = await s.repositories.workflowsFrom('my_shop');
    expect(found.map((w) => w.id)).toEqual([`wf-1-${dialect}`]);
    expect(found[0]).toMatchObject({ targets: ['web-1'], commitSha: SHA, status: 'succeeded' });
  });
});
