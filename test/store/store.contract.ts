// The store's contract: every test here runs against SQLite (sqlite.test.ts) and a real PostgreSQL
// server (postgres.test.ts). Only the factory differs; dialect-specific tests live in their files.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuditLog,
  ZERO_HASH,
  deriveAuditKeys,
  hashEvent,
  keyedHash,
  type AuditEvent,
  type AuditRecord,
} from '../../src/audit/index.js';
import { Keystore } from '../../src/security/index.js';
import {
  openStore,
  type NewAgentExchange,
  type NewApiKey,
  type NewRepository,
  type NewWorkflow,
  type OpenStoreOptions,
  type Store,
  type StoreDialect,
} from '../../src/store/index.js';

export interface StoreFactory {
  dialect: StoreDialect;
  /**
   * Options of a new database of its own, already migrated unless `empty` (a template copy on
   * PostgreSQL). Opening the same options twice gives two handles (connections) on one database.
   */
  fresh(options?: { empty?: boolean }): Promise<OpenStoreOptions>;
  /**
   * Whether two handles in this one thread can interleave multi-statement transactions. False for
   * SQLite: better-sqlite3 is synchronous, so the second connection's write busy-waits while
   * blocking the very thread that holds the lock. (Separate processes are fine: sqlite.test.ts
   * covers them with worker threads.)
   */
  interleavedTransactions: boolean;
}

const TABLES = [
  'agent_exchanges',
  'alerts',
  'api_keys',
  'app_secrets',
  'apps',
  'audit_events',
  'audit_head',
  'health_results',
  'keys',
  'locks',
  'log_chunks',
  'releases',
  'repositories',
  'targets',
  'webhook_deliveries',
  'workflow_fixes',
  'workflow_steps',
  'workflows',
];

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const web = { name: 'web-1', host: '10.0.0.5', user: 'deploy', auth: { kind: 'agent' as const } };

const workflow = (id: string, over: Partial<NewWorkflow> = {}): NewWorkflow => ({
  id,
  tier: 1,
  source: 'https://github.com/acme/api.git',
  ref: 'main',
  app: 'api',
  targets: ['web-1', 'web-2'],
  requestedBy: 'alice',
  ...over,
});

const sealed = (id: string) => ({
  id,
  kind: 'secret' as const,
  name: id,
  ciphertext: 'AA==',
  iv: 'AA==',
  tag: 'AA==',
});

const record = (i: number): AuditRecord => ({
  principal: 'alice',
  source: 'engine',
  action: 'exec',
  target: i % 2 === 0 ? 'web' : 'db',
  command: `step ${i}`,
  decision: 'allow',
  risk: i % 100,
  details: { i },
});

export function storeContract(getFactory: () => StoreFactory): void {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
  });
  const track = async (options: OpenStoreOptions): Promise<Store> => {
    const store = await openStore(options);
    stores.push(store);
    return store;
  };
  /** A migrated store on a database of its own. */
  const open = async (): Promise<Store> => track(await getFactory().fresh());
  /** Two handles (own connections) on one database: what two processes would have. */
  const openTwo = async (): Promise<[Store, Store]> => {
    const options = await getFactory().fresh();
    return [await track(options), await track(options)];
  };

  describe('migrations', () => {
    it('creates every table on an empty database and is idempotent on reopen', async () => {
      const options = await getFactory().fresh({ empty: true });
      const first = await openStore(options);
      const tables = async (s: Store): Promise<string[]> =>
        (await s.db.introspection.getTables()).map((t) => t.name).sort();
      expect(first.dialect).toBe(getFactory().dialect);
      expect(await tables(first)).toEqual(TABLES);
      await first.targets.create(web);
      await first.close();

      const second = await track(options);
      expect(await tables(second)).toEqual(TABLES);
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        second.db,
      );
      expect(migrations.rows.map((r) => r.name)).toEqual([
        '0001_initial',
        '0002_workflows',
        '0003_monitoring',
        '0004_api_keys',
        '0005_repositories',
        '0006_tier2',
        '0007_audit_keyed',
        '0008_target_sandbox',
      ]);
      expect((await second.targets.get('web-1')).host).toBe('10.0.0.5');
      expect(await second.audit.head()).toMatchObject({ seq: 0, hash: ZERO_HASH });
    });

    it.runIf(getFactory().interleavedTransactions)(
      'migrates two handles opening a new database at once',
      async () => {
        const options = await getFactory().fresh({ empty: true });
        const [a, b] = await Promise.all([track(options), track(options)]);
        await a.apps.ensure('x');
        expect((await b.apps.list()).map((app) => app.name)).toEqual(['x']);
      },
    );

    it('enforces the CHECK constraints of the new tables', async () => {
      const store = await open();
      await expect(store.workflows.create(workflow('w', { status: 'paused' as 'queued' }))).rejects.toThrow();
      await store.workflows.create(workflow('w'));
      await expect(
        store.steps.upsert({ workflowId: 'w', target: 't', step: 'build', status: 'done' as 'running' }),
      ).rejects.toThrow();
      await expect(store.logs.append('w', { stream: 'stdin' as 'stdout', text: 'x' })).rejects.toThrow();
      await expect(
        store.apps.releases.upsert({ app: 'a', target: 't', releaseId: 'r', status: 'live' as 'active' }),
      ).rejects.toThrow();
      await expect(
        store.alerts.record({ app: 'a', target: 't', state: 'degraded' as 'healthy', message: 'm' }),
      ).rejects.toThrow();
      await expect(
        store.alerts.record({
          app: 'a',
          target: 't',
          state: 'healthy',
          previousState: 'up' as 'unhealthy',
          message: 'm',
        }),
      ).rejects.toThrow();
    });
  });

  describe('targets', () => {
    it('creates with defaults and reads back', async () => {
      const store = await open();
      const created = await store.targets.create({ ...web, labels: { role: 'web' } });
      expect(created).toMatchObject({
        name: 'web-1',
        host: '10.0.0.5',
        port: 22,
        user: 'deploy',
        auth: { kind: 'agent' },
        hostKeyFingerprint: null,
        policyProfile: 'standard',
        root: null,
        labels: { role: 'web' },
      });
      expect(created.createdAt).toMatch(ISO);
      expect(await store.targets.get('web-1')).toEqual(created);
      expect(await store.targets.find('nope')).toBeUndefined();
    });

    it('refuses a duplicate name with AUT_CONFLICT', async () => {
      const store = await open();
      await store.targets.create(web);
      await expect(store.targets.create({ ...web, host: 'other' })).rejects.toMatchObject({
        code: 'AUT_CONFLICT',
        message: 'A target named "web-1" already exists.',
      });
      expect((await store.targets.get('web-1')).host).toBe('10.0.0.5');
    });

    it('reports a missing target with AUT_NOT_FOUND on get, update and remove', async () => {
      const store = await open();
      for (const call of [
        () => store.targets.get('ghost'),
        () => store.targets.update('ghost', { port: 2222 }),
        () => store.targets.remove('ghost'),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'AUT_NOT_FOUND', details: { target: 'ghost' } });
      }
    });

    it('lists by name, updates a patch and removes', async () => {
      const store = await open();
      await store.targets.create({ ...web, name: 'b' });
      await store.targets.create({ ...web, name: 'a' });
      expect((await store.targets.list()).map((t) => t.name)).toEqual(['a', 'b']);
      const updated = await store.targets.update('a', {
        port: 2222,
        hostKeyFingerprint: 'SHA256:abc',
        root: undefined,
        labels: { env: 'prod' },
      });
      expect(updated).toMatchObject({
        name: 'a',
        port: 2222,
        hostKeyFingerprint: 'SHA256:abc',
        labels: { env: 'prod' },
      });
      expect(await store.targets.get('a')).toEqual(updated);
      await store.targets.remove('a');
      expect((await store.targets.list()).map((t) => t.name)).toEqual(['b']);
    });

    it('links key auth to a stored key and refuses an unknown key id', async () => {
      const store = await open();
      await expect(
        store.targets.create({ ...web, auth: { kind: 'key', keyId: 'key_missing' } }),
      ).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      await store.keys.insert({ ...sealed('key_1'), kind: 'ssh_private_key' });
      const target = await store.targets.create({ ...web, auth: { kind: 'key', keyId: 'key_1' } });
      expect(target.auth).toEqual({ kind: 'key', keyId: 'key_1' });
      await expect(store.keys.remove('key_1')).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
    });
  });

  describe('keys', () => {
    it('stores only ciphertext, lists metadata, refuses a duplicate id and removes', async () => {
      const store = await open();
      const keystore = new Keystore(store, randomBytes(32));
      const id = await keystore.putSecret('API_TOKEN', 'correct-horse-battery-staple');
      expect((await keystore.getSecret(id)).reveal()).toBe('correct-horse-battery-staple');
      const raw = JSON.stringify(await store.db.selectFrom('keys').selectAll().execute());
      expect(raw).not.toContain('correct-horse-battery-staple');
      expect(raw).not.toContain(Buffer.from('correct-horse-battery-staple').toString('base64').slice(0, 24));

      expect(await store.keys.list('secret')).toEqual([
        { id, kind: 'secret', name: 'API_TOKEN', createdAt: expect.stringMatching(ISO) },
      ]);
      expect(await store.keys.list('ssh_private_key')).toEqual([]);
      const row = await store.keys.get(id);
      await expect(store.keys.insert({ ...row, name: 'again' })).rejects.toMatchObject({
        code: 'AUT_CONFLICT',
      });
      await store.keys.remove(id);
      await expect(store.keys.get(id)).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
      await expect(store.keys.remove(id)).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
    });
  });

  describe('api keys', () => {
    const key = (id: string, over: Partial<NewApiKey> = {}): NewApiKey => ({
      id,
      name: `key ${id}`,
      role: 'operator',
      targets: ['web-1'],
      grants: [],
      digest: 'ab'.repeat(32),
      ...over,
    });

    it('creates, reads back, lists oldest first and refuses a duplicate id', async () => {
      const store = await open();
      const created = await store.apiKeys.create(key('k1', { createdAt: '2026-01-01T00:00:00.000Z' }));
      expect(created).toEqual({
        id: 'k1',
        name: 'key k1',
        role: 'operator',
        targets: ['web-1'],
        grants: [],
        digest: 'ab'.repeat(32),
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: null,
        revokedAt: null,
        lastUsedAt: null,
      });
      await store.apiKeys.create(key('k2', { targets: null, grants: ['execute'], role: 'agent' }));
      expect(await store.apiKeys.get('k1')).toEqual(created);
      expect((await store.apiKeys.find('k2'))?.targets).toBeNull();
      expect((await store.apiKeys.find('k2'))?.grants).toEqual(['execute']);
      expect((await store.apiKeys.list()).map((k) => k.id)).toEqual(['k1', 'k2']);
      await expect(store.apiKeys.create(key('k1'))).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
      await expect(store.apiKeys.get('nope')).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
      expect(await store.apiKeys.find('nope')).toBeUndefined();
      await expect(store.apiKeys.create(key('k3', { role: 'root' as 'admin' }))).rejects.toThrow();
    });

    it('revokes once, touches, and counts only usable keys of a role', async () => {
      const store = await open();
      const now = '2026-06-01T00:00:00.000Z';
      await store.apiKeys.create(key('a1', { role: 'admin' }));
      await store.apiKeys.create(key('a2', { role: 'admin', expiresAt: '2026-05-01T00:00:00.000Z' }));
      await store.apiKeys.create(key('a3', { role: 'admin', expiresAt: '2026-07-01T00:00:00.000Z' }));
      expect(await store.apiKeys.countUsable('admin', now)).toBe(2);
      expect(await store.apiKeys.countUsable('viewer', now)).toBe(0);
      const revoked = await store.apiKeys.revoke('a1', '2026-06-01T01:00:00.000Z');
      expect(revoked.revokedAt).toBe('2026-06-01T01:00:00.000Z');
      expect((await store.apiKeys.revoke('a1', '2026-06-02T00:00:00.000Z')).revokedAt).toBe(
        '2026-06-01T01:00:00.000Z',
      );
      expect(await store.apiKeys.countUsable('admin', now)).toBe(1);
      await expect(store.apiKeys.revoke('nope')).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
      await store.apiKeys.touch('a3', '2026-06-03T00:00:00.000Z');
      expect((await store.apiKeys.get('a3')).lastUsedAt).toBe('2026-06-03T00:00:00.000Z');
    });
  });

  describe('audit', () => {
    it('appends 100 chained records and verifies them', async () => {
      const log = new AuditLog(await open());
      const first = await log.append(record(1));
      expect(first).toMatchObject({ seq: 1, prevHash: ZERO_HASH });
      const { hash, ...rest } = first;
      expect(hashEvent(rest)).toBe(hash);
      for (let i = 2; i <= 100; i += 1) await log.append(record(i));
      expect(await log.verify()).toMatchObject({ ok: true, count: 100, head: { seq: 100 } });
      expect((await log.list({ target: 'web', limit: 2 })).map((e) => e.seq)).toEqual([98, 100]);
    });

    it('detects tampering done with direct SQL', async () => {
      const store = await open();
      const log = new AuditLog(store);
      const events: AuditEvent[] = [];
      for (let i = 1; i <= 20; i += 1) events.push(await log.append(record(i)));
      expect(await log.verify()).toMatchObject({ ok: true, count: 20 });

      await sql`update audit_events set command = 'rm -rf /' where seq = 10`.execute(store.db);
      expect(await log.verify()).toMatchObject({
        ok: false,
        count: 9,
        firstBroken: { seq: 10, reason: 'hash_mismatch' },
      });
      await sql`update audit_events set command = ${events[9]?.command ?? ''} where seq = 10`.execute(
        store.db,
      );
      expect(await log.verify()).toMatchObject({ ok: true });

      await sql`delete from audit_events where seq = 20`.execute(store.db);
      expect(await log.verify()).toMatchObject({
        ok: false,
        count: 19,
        firstBroken: { seq: 20, reason: 'truncated' },
      });

      await sql`delete from audit_events where seq = 5`.execute(store.db);
      expect(await log.verify()).toMatchObject({
        ok: false,
        count: 4,
        firstBroken: { seq: 6, reason: 'sequence_gap' },
      });

      await sql`delete from audit_head`.execute(store.db);
      expect(await log.verify()).toMatchObject({ ok: false });
      await expect(log.append(record(21))).rejects.toMatchObject({ code: 'AUT_STORE' });
    });

    it('keeps one chain under 50 concurrent appends on one handle', async () => {
      const store = await open();
      const a = new AuditLog(store);
      const b = new AuditLog(store);
      const events = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).append(record(i))),
      );
      expect(events.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      expect(await a.verify()).toMatchObject({ ok: true, count: 50 });
    });

    it('keyed: HMAC records and a sealed head; a rewrite recomputed with plain SHA-256 or a stripped seal is caught', async () => {
      const store = await open();
      const keys = deriveAuditKeys(randomBytes(32));
      const log = new AuditLog(store, { keys });
      const events: AuditEvent[] = [];
      for (let i = 1; i <= 20; i += 1) events.push(await log.append(record(i)));
      const { hash, ...rest } = events[0] as AuditEvent;
      expect(keyedHash(keys, rest)).toBe(hash);
      expect(await log.verify()).toMatchObject({ ok: true, count: 20, keyedFrom: 1, legacy: 0 });
      expect(await store.audit.head()).toMatchObject({ seq: 20, keyedFrom: 1, mac: expect.any(String) });

      // Record 10 rewritten and resealed the old way, as legacy: a downgrade, whatever the hashes say.
      const forged = { ...(events[9] as AuditEvent), command: 'rm -rf /' };
      await sql`update audit_events set command = ${forged.command}, alg = 'sha256', hash = ${hashEvent(forged)} where seq = 10`.execute(
        store.db,
      );
      expect(await log.verify()).toMatchObject({
        ok: false,
        count: 9,
        firstBroken: { seq: 10, reason: 'downgrade' },
      });
      await sql`update audit_events set command = ${events[9]?.command ?? ''}, alg = 'hmac-sha256', hash = ${events[9]?.hash ?? ''} where seq = 10`.execute(
        store.db,
      );
      expect(await log.verify()).toMatchObject({ ok: true });

      await sql`update audit_head set mac = null`.execute(store.db);
      expect(await log.verify()).toMatchObject({
        ok: false,
        firstBroken: { check: 'head', reason: 'head_mismatch' },
      });
      await expect(log.append(record(21))).rejects.toMatchObject({ code: 'AUT_STORE' });
    });

    it('keeps one chain when two handles (connections) append at the same time', async () => {
      const [one, two] = await openTwo();
      const keys = deriveAuditKeys(randomBytes(32));
      const a = new AuditLog(one, { keys });
      const b = new AuditLog(two, { keys });
      await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => a.append(record(i))),
        ...Array.from({ length: 40 }, (_, i) => b.append(record(i + 100))),
      ]);
      expect(await a.verify()).toMatchObject({ ok: true, count: 80, head: { seq: 80 } });
    });
  });

  describe('workflows', () => {
    it('creates with defaults, reads back and refuses a duplicate id', async () => {
      const store = await open();
      const created = await store.workflows.create(workflow('wf-1', { plan: { steps: ['build', 'test'] } }));
      expect(created).toEqual({
        id: 'wf-1',
        tier: 1,
        source: 'https://github.com/acme/api.git',
        ref: 'main',
        commitSha: null,
        app: 'api',
        targets: ['web-1', 'web-2'],
        requestedBy: 'alice',
        status: 'queued',
        currentStep: null,
        releaseId: null,
        error: null,
        plan: { steps: ['build', 'test'] },
        attempt: 0,
        createdAt: expect.stringMatching(ISO),
        updatedAt: created.createdAt,
        startedAt: null,
        finishedAt: null,
        taskPrompt: null,
        requirements: null,
        agent: null,
        usage: { inputTokens: 0, outputTokens: 0 },
        review: null,
        approval: null,
      });
      expect(await store.workflows.get('wf-1')).toEqual(created);
      expect(await store.workflows.find('nope')).toBeUndefined();
      await expect(store.workflows.get('nope')).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
      await expect(store.workflows.create(workflow('wf-1'))).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
    });

    it('lists newest first with status, app, limit and offset; listByStatus oldest first', async () => {
      const store = await open();
      const at = (i: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      await store.workflows.create(workflow('a', { createdAt: at(1) }));
      await store.workflows.create(workflow('b', { createdAt: at(2), app: 'web', status: 'running' }));
      await store.workflows.create(workflow('c', { createdAt: at(3), status: 'running' }));
      await store.workflows.create(workflow('d', { createdAt: at(4), status: 'succeeded' }));
      const ids = (list: { id: string }[]): string[] => list.map((w) => w.id);
      expect(ids(await store.workflows.list())).toEqual(['d', 'c', 'b', 'a']);
      expect(ids(await store.workflows.list({ status: 'running' }))).toEqual(['c', 'b']);
      expect(ids(await store.workflows.list({ status: ['queued', 'succeeded'] }))).toEqual(['d', 'a']);
      expect(ids(await store.workflows.list({ app: 'api' }))).toEqual(['d', 'c', 'a']);
      expect(ids(await store.workflows.list({ limit: 2, offset: 1 }))).toEqual(['c', 'b']);
      expect(ids(await store.workflows.listByStatus(['running', 'queued']))).toEqual(['a', 'b', 'c']);
      expect(await store.workflows.listByStatus([])).toEqual([]);
      expect(await store.workflows.list({ status: [] })).toEqual([]);
      expect(await store.workflows.countByStatus()).toEqual({ queued: 1, running: 2, succeeded: 1 });
    });

    it('updates a patch, with an optional compare-and-set on the status', async () => {
      const store = await open();
      await store.workflows.create(workflow('wf'));
      const started = await store.workflows.update(
        'wf',
        { status: 'running', startedAt: '2026-01-01T00:00:00.000Z', attempt: 1, currentStep: 'build' },
        { expectStatus: 'queued', now: '2026-01-01T00:00:01.000Z' },
      );
      expect(started).toMatchObject({
        status: 'running',
        startedAt: '2026-01-01T00:00:00.000Z',
        attempt: 1,
        currentStep: 'build',
        updatedAt: '2026-01-01T00:00:01.000Z',
        ref: 'main',
      });
      await expect(
        store.workflows.update('wf', { status: 'cancelled' }, { expectStatus: 'queued' }),
      ).rejects.toMatchObject({
        code: 'AUT_CONFLICT',
        details: { status: 'running' },
      });
      await expect(
        store.workflows.update('wf', { status: 'failed' }, { expectStatus: [] }),
      ).rejects.toMatchObject({
        code: 'AUT_CONFLICT',
      });
      const done = await store.workflows.update('wf', {
        status: 'failed',
        error: 'build failed',
        currentStep: null,
        releaseId: 'r1',
      });
      expect(done).toMatchObject({
        status: 'failed',
        error: 'build failed',
        currentStep: null,
        releaseId: 'r1',
        attempt: 1,
      });
      expect(await store.workflows.get('wf')).toEqual(done);
      await expect(store.workflows.update('ghost', { status: 'failed' })).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
    });

    it('removes a workflow with its steps and logs', async () => {
      const store = await open();
      await store.workflows.create(workflow('wf'));
      await store.steps.upsert({ workflowId: 'wf', target: 't', step: 'build', status: 'running' });
      await store.logs.append('wf', { stream: 'stdout', text: 'hi' });
      await store.workflows.remove('wf');
      expect(await store.steps.list('wf')).toEqual([]);
      expect(await store.logs.list('wf')).toEqual([]);
      await expect(store.workflows.remove('wf')).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
    });
  });

  describe('tier 2: prompt, review, approval, agent exchanges and fixes', () => {
    const exchange = (over: Partial<NewAgentExchange> = {}): NewAgentExchange => ({
      agent: 'planner',
      provider: 'openai',
      model: 'gpt-test',
      request: '{"prompt":"Deploy it"}',
      response: '{"module":{}}',
      inputTokens: 120,
      outputTokens: 30,
      ok: true,
      error: null,
      at: '2026-01-01T00:00:00.000Z',
      ...over,
    });

    it('records the prompt, requirements and planner, then the review and the approval', async () => {
      const store = await open();
      const requirements = [
        { text: 'port 5000', status: 'met', how: 'port: 5000' },
        { text: 'a PostgreSQL database', status: 'unmet', why: 'no database is provisioned' },
      ];
      const created = await store.workflows.create(
        workflow('wf', {
          tier: 2,
          taskPrompt: 'Deploy a Flask app on port 5000 with a PostgreSQL database',
          requirements,
          agent: { provider: 'rules', model: null },
        }),
      );
      expect(created).toMatchObject({
        taskPrompt: 'Deploy a Flask app on port 5000 with a PostgreSQL database',
        requirements,
        agent: { provider: 'rules', model: null },
        usage: { inputTokens: 0, outputTokens: 0 },
        review: null,
        approval: null,
      });
      const findings = [{ kind: 'unmet_requirement', text: 'a PostgreSQL database' }];
      await store.workflows.update('wf', {
        status: 'awaiting_approval',
        review: { verdict: 'approval_required', findings },
      });
      const approval = {
        decision: 'approved' as const,
        by: 'alice',
        at: '2026-01-01T00:00:00.000Z',
        reason: null,
        covers: ['requirement:a PostgreSQL database'],
      };
      const approved = await store.workflows.update(
        'wf',
        { status: 'queued', approval },
        { expectStatus: 'awaiting_approval' },
      );
      expect(approved).toMatchObject({
        status: 'queued',
        review: { verdict: 'approval_required', findings },
        approval,
      });
      expect(await store.workflows.get('wf')).toEqual(approved);
      const cleared = await store.workflows.update('wf', { review: null, approval: null });
      expect(cleared).toMatchObject({ review: null, approval: null, taskPrompt: created.taskPrompt });
      await expect(
        store.workflows.update('wf', { review: { verdict: 'maybe' as 'denied', findings: [] } }),
      ).rejects.toThrow();
    });

    it('appends agent exchanges in order and adds their tokens to the workflow', async () => {
      const store = await open();
      await store.workflows.create(workflow('wf'));
      await store.agentExchanges.record('wf', [
        exchange(),
        exchange({ ok: false, error: 'invalid JSON', response: 'not json', outputTokens: null }),
      ]);
      await store.agentExchanges.record('wf', [
        exchange({ agent: 'diagnoser', inputTokens: 80, outputTokens: 20 }),
      ]);
      await store.agentExchanges.record('wf', []);
      const list = await store.agentExchanges.list('wf');
      expect(list.map((e) => [e.seq, e.agent, e.ok, e.outputTokens])).toEqual([
        [1, 'planner', true, 30],
        [2, 'planner', false, null],
        [3, 'diagnoser', true, 20],
      ]);
      expect(list[1]).toEqual({
        ...exchange({ ok: false, error: 'invalid JSON', response: 'not json', outputTokens: null }),
        workflowId: 'wf',
        seq: 2,
      });
      expect((await store.workflows.get('wf')).usage).toEqual({ inputTokens: 320, outputTokens: 50 });
      await expect(store.agentExchanges.record('ghost', [exchange()])).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      await expect(
        store.agentExchanges.record('wf', [exchange({ agent: 'reviewer' as 'planner' })]),
      ).rejects.toThrow();
      expect(await store.agentExchanges.list('wf')).toHaveLength(3);
    });

    it('keeps exchange seqs gap-free under concurrent records', async () => {
      const store = await open();
      await store.workflows.create(workflow('wf'));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.agentExchanges.record('wf', [exchange({ inputTokens: i })]),
        ),
      );
      const seqs = (await store.agentExchanges.list('wf')).map((e) => e.seq);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await store.workflows.get('wf')).usage.inputTokens).toBe(45);
    });

    it('records each fix attempt once, lists them in order, and removes them with the workflow', async () => {
      const store = await open();
      await store.workflows.create(workflow('wf'));
      const fix = { kind: 'set_command', field: 'start_command', value: 'python3 app.py' };
      const first = await store.fixes.record({
        workflowId: 'wf',
        attempt: 1,
        step: 'release',
        target: 'web-1',
        reason: 'ModuleNotFoundError: no module named server',
        fix,
        verdict: 'allowed',
        applied: true,
        at: '2026-01-01T00:00:00.000Z',
      });
      expect(first).toEqual({
        workflowId: 'wf',
        attempt: 1,
        step: 'release',
        target: 'web-1',
        reason: 'ModuleNotFoundError: no module named server',
        fix,
        verdict: 'allowed',
        applied: true,
        at: '2026-01-01T00:00:00.000Z',
      });
      await store.fixes.record({
        workflowId: 'wf',
        attempt: 2,
        step: 'build',
        target: 'web-1',
        reason: 'nothing to change',
        fix: null,
        verdict: null,
        applied: false,
      });
      await expect(store.fixes.record({ ...first, reason: 'again' })).rejects.toMatchObject({
        code: 'AUT_CONFLICT',
      });
      await expect(store.fixes.record({ ...first, workflowId: 'ghost' })).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      await expect(
        store.fixes.record({ ...first, attempt: 3, verdict: 'ok' as 'allowed' }),
      ).rejects.toThrow();
      const list = await store.fixes.list('wf');
      expect(list.map((f) => [f.attempt, f.fix === null, f.applied])).toEqual([
        [1, false, true],
        [2, true, false],
      ]);
      expect(list[1]?.at).toMatch(ISO);
      await store.agentExchanges.record('wf', [exchange()]);
      await store.workflows.remove('wf');
      expect(await store.fixes.list('wf')).toEqual([]);
      expect(await store.agentExchanges.list('wf')).toEqual([]);
    });
  });

  describe('steps', () => {
    it('upserts: a later call changes only the fields it gives; lists in plan order', async () => {
      const store = await open();
      await store.workflows.create(workflow('wf'));
      const first = await store.steps.upsert({
        workflowId: 'wf',
        target: 'web-1',
        step: 'build',
        position: 2,
        status: 'running',
        startedAt: '2026-01-01T00:00:00.000Z',
      });
      expect(first).toEqual({
        workflowId: 'wf',
        target: 'web-1',
        step: 'build',
        position: 2,
        status: 'running',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: null,
        exitCode: null,
        error: null,
      });
      const done = await store.steps.upsert({
        workflowId: 'wf',
        target: 'web-1',
        step: 'build',
        status: 'failed',
        finishedAt: '2026-01-01T00:00:05.000Z',
        exitCode: 2,
        error: 'make: *** [all] Error 2',
      });
      expect(done).toEqual({
        ...first,
        status: 'failed',
        finishedAt: '2026-01-01T00:00:05.000Z',
        exitCode: 2,
        error: 'make: *** [all] Error 2',
      });
      await store.steps.upsert({
        workflowId: 'wf',
        target: 'web-1',
        step: 'upload',
        position: 1,
        status: 'succeeded',
        exitCode: 0,
      });
      await store.steps.upsert({
        workflowId: 'wf',
        target: 'web-0',
        step: 'upload',
        position: 1,
        status: 'pending',
      });
      expect((await store.steps.list('wf')).map((s) => `${s.target}/${s.step}:${s.status}`)).toEqual([
        'web-0/upload:pending',
        'web-1/upload:succeeded',
        'web-1/build:failed',
      ]);
      expect(await store.steps.find('wf', 'web-1', 'build')).toEqual(done);
      await expect(
        store.steps.upsert({ workflowId: 'ghost', target: 't', step: 's', status: 'running' }),
      ).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
    });
  });

  describe('logs', () => {
    it('numbers chunks per workflow from 1 and lists after a seq, with a limit', async () => {
      const store = await open();
      await store.workflows.create(workflow('a'));
      await store.workflows.create(workflow('b'));
      expect(await store.logs.append('a', { stream: 'system', text: 'start' })).toBe(1);
      expect(
        await store.logs.append('a', {
          stream: 'stdout',
          text: 'out',
          target: 'web-1',
          step: 'build',
          at: '2026-01-01T00:00:00.000Z',
        }),
      ).toBe(2);
      expect(await store.logs.append('b', { stream: 'stderr', text: 'other' })).toBe(1);
      expect(await store.logs.append('a', { stream: 'stderr', text: 'err' })).toBe(3);
      const all = await store.logs.list('a');
      expect(all.map((c) => [c.seq, c.stream, c.text])).toEqual([
        [1, 'system', 'start'],
        [2, 'stdout', 'out'],
        [3, 'stderr', 'err'],
      ]);
      expect(all[1]).toEqual({
        workflowId: 'a',
        seq: 2,
        target: 'web-1',
        step: 'build',
        stream: 'stdout',
        at: '2026-01-01T00:00:00.000Z',
        text: 'out',
      });
      expect(all[0]).toMatchObject({ target: null, step: null, at: expect.stringMatching(ISO) });
      expect((await store.logs.list('a', { afterSeq: 1, limit: 1 })).map((c) => c.seq)).toEqual([2]);
      expect(await store.logs.lastSeq('a')).toBe(3);
      expect(await store.logs.lastSeq('nope')).toBe(0);
      expect((await store.logs.tail('a', 2)).map((c) => c.seq)).toEqual([2, 3]);
      expect((await store.logs.tail('a', 50)).map((c) => c.seq)).toEqual([1, 2, 3]);
      expect(await store.logs.tail('nope', 50)).toEqual([]);
      await expect(store.logs.append('ghost', { stream: 'stdout', text: 'x' })).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
    });

    it('keeps seqs gap-free and in call order under concurrent appends from two handles', async () => {
      const [one, two] = await openTwo();
      await one.workflows.create(workflow('wf'));
      const fromOne = Array.from({ length: 50 }, (_, i) =>
        one.logs.append('wf', { stream: 'stdout', text: `one ${i}` }),
      );
      const fromTwo = Array.from({ length: 50 }, (_, i) =>
        two.logs.append('wf', { stream: 'stdout', text: `two ${i}` }),
      );
      const seqs = await Promise.all([...fromOne, ...fromTwo]);
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      const chunks = await one.logs.list('wf');
      expect(chunks.map((c) => c.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      // Each handle's own appends keep their call order.
      for (const who of ['one', 'two']) {
        const texts = chunks.filter((c) => c.text.startsWith(who)).map((c) => c.text);
        expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `${who} ${i}`));
      }
    });
  });

  describe('apps and releases', () => {
    it('ensures an app idempotently', async () => {
      const store = await open();
      const first = await store.apps.ensure('api');
      expect(first).toEqual({
        name: 'api',
        createdAt: expect.stringMatching(ISO),
        updatedAt: first.createdAt,
      });
      expect(await store.apps.ensure('api')).toEqual(first);
      await store.apps.ensure('web');
      expect((await store.apps.list()).map((a) => a.name)).toEqual(['api', 'web']);
      await expect(store.apps.get('ghost')).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
      await store.apps.touch('api', '2030-01-01T00:00:00.000Z');
      expect((await store.apps.get('api')).updatedAt).toBe('2030-01-01T00:00:00.000Z');
    });

    it('upserts releases, activates one at a time and finds the current one', async () => {
      const store = await open();
      const r1 = await store.apps.releases.upsert({
        app: 'api',
        target: 'web-1',
        releaseId: '20260101-000000',
        workflowId: 'wf-1',
        commitSha: 'abc',
        status: 'building',
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      expect(r1).toEqual({
        app: 'api',
        target: 'web-1',
        releaseId: '20260101-000000',
        workflowId: 'wf-1',
        commitSha: 'abc',
        status: 'building',
        createdAt: '2026-01-01T00:00:00.000Z',
        activatedAt: null,
        stoppedAt: null,
      });
      expect((await store.apps.get('api')).name).toBe('api'); // created on the way
      expect(await store.apps.releases.current('api', 'web-1')).toBeUndefined();
      await store.apps.releases.activate('api', 'web-1', '20260101-000000', '2026-01-01T00:01:00.000Z');
      await store.apps.releases.upsert({
        app: 'api',
        target: 'web-1',
        releaseId: '20260102-000000',
        status: 'building',
        createdAt: '2026-01-02T00:00:00.000Z',
      });
      await store.apps.releases.upsert({
        app: 'api',
        target: 'web-2',
        releaseId: '20260102-000000',
        status: 'building',
        createdAt: '2026-01-02T00:00:00.000Z',
      });
      const r2 = await store.apps.releases.activate(
        'api',
        'web-1',
        '20260102-000000',
        '2026-01-02T00:01:00.000Z',
      );
      expect(r2).toMatchObject({ status: 'active', activatedAt: '2026-01-02T00:01:00.000Z' });
      expect(await store.apps.releases.current('api', 'web-1')).toEqual(r2);
      // Stopped on purpose, then activated again (a redeploy or rollback): no longer stopped.
      await store.apps.releases.markStopped('api', 'web-1', '20260102-000000', '2026-01-02T00:02:00.000Z');
      expect((await store.apps.releases.current('api', 'web-1'))?.stoppedAt).toBe('2026-01-02T00:02:00.000Z');
      await store.apps.releases.markStopped('api', 'web-1', '20260102-000000', null);
      expect((await store.apps.releases.current('api', 'web-1'))?.stoppedAt).toBeNull();
      await expect(store.apps.releases.markStopped('api', 'web-1', 'nope', null)).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      expect(
        (await store.apps.releases.list('api', 'web-1')).map((r) => `${r.releaseId}:${r.status}`),
      ).toEqual(['20260102-000000:active', '20260101-000000:previous']);
      expect((await store.apps.releases.list('api')).map((r) => `${r.target}/${r.releaseId}`)).toEqual([
        'web-1/20260102-000000',
        'web-2/20260102-000000',
        'web-1/20260101-000000',
      ]);
      const upserted = await store.apps.releases.upsert({
        app: 'api',
        target: 'web-2',
        releaseId: '20260102-000000',
        status: 'failed',
      });
      expect(upserted).toMatchObject({ status: 'failed', createdAt: '2026-01-02T00:00:00.000Z' });
      const pruned = await store.apps.releases.setStatus('api', 'web-1', '20260101-000000', 'pruned');
      expect(pruned.status).toBe('pruned');
      await expect(store.apps.releases.setStatus('api', 'web-1', 'nope', 'failed')).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      await expect(store.apps.releases.activate('api', 'web-1', 'nope')).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      expect((await store.apps.releases.current('api', 'web-1'))?.releaseId).toBe('20260102-000000');
    });
  });

  describe('app secrets', () => {
    it('maps names to stored keys: set returns the replaced key id, list gives names only', async () => {
      const store = await open();
      for (const id of ['k1', 'k2', 'k3']) await store.keys.insert(sealed(id));
      expect(await store.appSecrets.set('api', 'DB_PASSWORD', 'k1')).toBeNull();
      expect(await store.appSecrets.set('api', 'API_TOKEN', 'k3')).toBeNull();
      expect(await store.appSecrets.set('api', 'DB_PASSWORD', 'k2')).toBe('k1');
      expect(await store.appSecrets.list('api')).toEqual(['API_TOKEN', 'DB_PASSWORD']);
      expect(await store.appSecrets.list('other')).toEqual([]);
      expect(await store.appSecrets.get('api', 'DB_PASSWORD')).toEqual({
        app: 'api',
        name: 'DB_PASSWORD',
        keyId: 'k2',
        updatedAt: expect.stringMatching(ISO),
      });
      expect((await store.appSecrets.entries('api')).map((s) => [s.name, s.keyId])).toEqual([
        ['API_TOKEN', 'k3'],
        ['DB_PASSWORD', 'k2'],
      ]);
      await expect(store.keys.remove('k2')).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
      await expect(store.appSecrets.set('api', 'X', 'missing')).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      expect(await store.appSecrets.remove('api', 'DB_PASSWORD')).toBe('k2');
      await store.keys.remove('k2');
      await expect(store.appSecrets.remove('api', 'DB_PASSWORD')).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
      await expect(store.appSecrets.get('api', 'DB_PASSWORD')).rejects.toMatchObject({
        code: 'AUT_NOT_FOUND',
      });
    });

    it('hands every replaced key id back exactly once under concurrent sets (two handles where possible)', async () => {
      const [one, two] = getFactory().interleavedTransactions ? await openTwo() : [await open()];
      const ids = Array.from({ length: 10 }, (_, i) => `k${i}`);
      for (const id of ids) await one.keys.insert(sealed(id));
      const previous = await Promise.all(
        ids.map((id, i) => (i % 2 ? one : (two ?? one)).appSecrets.set('api', 'TOKEN', id)),
      );
      const current = (await one.appSecrets.get('api', 'TOKEN')).keyId;
      expect(previous.filter((p) => p === null)).toHaveLength(1);
      expect([...previous.filter((p) => p !== null), current].sort()).toEqual([...ids].sort());
    });
  });

  describe('health', () => {
    it('records results and lists them newest first, by target, with a limit', async () => {
      const store = await open();
      const at = (i: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      const first = await store.health.record({
        app: 'api',
        target: 'web-1',
        healthy: true,
        statusCode: 200,
        latencyMs: 12.6,
        at: at(1),
        releaseId: 'r1',
      });
      expect(first).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        app: 'api',
        target: 'web-1',
        releaseId: 'r1',
        at: at(1),
        healthy: true,
        statusCode: 200,
        latencyMs: 13,
        detail: null,
      });
      await store.health.record({ app: 'api', target: 'web-2', healthy: true, at: at(2) });
      await store.health.record({
        app: 'api',
        target: 'web-1',
        healthy: false,
        detail: 'connection refused',
        at: at(3),
      });
      await store.health.record({ app: 'other', target: 'web-1', healthy: true, at: at(4) });
      expect((await store.health.list('api')).map((r) => r.at)).toEqual([at(3), at(2), at(1)]);
      expect((await store.health.list('api', { target: 'web-1', limit: 1 }))[0]).toMatchObject({
        healthy: false,
        detail: 'connection refused',
      });
      expect(await store.health.latest('api', 'web-2')).toMatchObject({ healthy: true, statusCode: null });
      expect(await store.health.latest('api', 'web-9')).toBeUndefined();
      expect(await store.health.prune(at(3))).toBe(2);
      expect((await store.health.list('api')).map((r) => r.at)).toEqual([at(3)]);
    });
  });

  describe('alerts', () => {
    it('records alerts and lists them newest first, by app and target, with a limit', async () => {
      const store = await open();
      const at = (i: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      const first = await store.alerts.record({
        app: 'api',
        target: 'web-1',
        releaseId: 'r1',
        state: 'unhealthy',
        previousState: 'healthy',
        message: 'api on web-1 is unhealthy: connection refused',
        at: at(1),
      });
      expect(first).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        app: 'api',
        target: 'web-1',
        releaseId: 'r1',
        at: at(1),
        state: 'unhealthy',
        previousState: 'healthy',
        message: 'api on web-1 is unhealthy: connection refused',
      });
      await store.alerts.record({ app: 'api', target: 'web-2', state: 'unhealthy', message: 'b', at: at(2) });
      await store.alerts.record({
        app: 'api',
        target: 'web-1',
        state: 'healthy',
        previousState: 'unhealthy',
        message: 'c',
        at: at(3),
      });
      await store.alerts.record({
        app: 'other',
        target: 'web-1',
        state: 'unhealthy',
        message: 'd',
        at: at(4),
      });
      expect((await store.alerts.list()).map((a) => a.message)).toEqual(['d', 'c', 'b', first.message]);
      expect((await store.alerts.list({ app: 'api' })).map((a) => a.at)).toEqual([at(3), at(2), at(1)]);
      expect((await store.alerts.list({ target: 'web-1' })).map((a) => a.message)).toEqual([
        'd',
        'c',
        first.message,
      ]);
      expect(await store.alerts.list({ app: 'api', target: 'web-1', limit: 1 })).toEqual([
        expect.objectContaining({ state: 'healthy', previousState: 'unhealthy', releaseId: null }),
      ]);
      expect((await store.alerts.list({ app: 'api', target: 'web-2' }))[0]?.previousState).toBeNull();
      expect(await store.alerts.list({ app: 'nope' })).toEqual([]);
    });
  });

  describe('repositories and webhook deliveries', () => {
    const repo = (name: string, over: Partial<NewRepository> = {}): NewRepository => ({
      name,
      url: 'https://github.com/acme/shop.git',
      urlKey: 'github.com/acme/shop',
      provider: 'github',
      branch: 'main',
      targets: ['web-1', 'web-2'],
      secretKeyId: `secret-${name}`,
      ...over,
    });

    it('registers, finds by url key and provider, refuses a duplicate name and removes', async () => {
      const store = await open();
      const created = await store.repositories.create(
        repo('shop', { createdAt: '2026-01-01T00:00:00.000Z' }),
      );
      expect(created).toEqual({ ...repo('shop'), createdAt: '2026-01-01T00:00:00.000Z' });
      await store.repositories.create(repo('shop-staging', { branch: 'staging' }));
      await store.repositories.create(repo('other', { urlKey: 'gitlab.com/acme/other', provider: 'gitlab' }));
      expect(
        (await store.repositories.findByUrlKey(['github.com/acme/shop'], 'github')).map((r) => r.name),
      ).toEqual(['shop', 'shop-staging']);
      expect(await store.repositories.findByUrlKey(['github.com/acme/shop'], 'gitlab')).toEqual([]);
      expect(await store.repositories.findByUrlKey([], 'github')).toEqual([]);
      await expect(store.repositories.create(repo('shop'))).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
      expect(await store.repositories.remove('shop')).toBe('secret-shop');
      await expect(store.repositories.get('shop')).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
      expect((await store.repositories.list()).map((r) => r.name)).toEqual(['other', 'shop-staging']);
    });

    it('records a delivery once: a replay of the same id is refused', async () => {
      const store = await open();
      expect(
        await store.repositories.recordDelivery({
          id: 'github:d-1',
          repository: 'shop',
          outcome: 'received',
        }),
      ).toBe(true);
      expect(
        await store.repositories.recordDelivery({
          id: 'github:d-1',
          repository: 'shop',
          outcome: 'received',
        }),
      ).toBe(false);
      await store.repositories.settleDelivery('github:d-1', 'deployed', 'wf_1');
      expect(
        await store.repositories.recordDelivery({ id: 'gitlab:d-1', repository: null, outcome: 'ignored' }),
      ).toBe(true);
    });
  });

  describe('locks (leases with an injected clock)', () => {
    const T = 1_800_000_000_000;

    it('acquires a free lease, refuses a contender until it expires, then lets it take over', async () => {
      const store = await open();
      expect(await store.locks.acquire('deploy:api:web-1', 'wf-1', 30_000, T)).toBe(true);
      expect(await store.locks.get('deploy:api:web-1')).toEqual({
        name: 'deploy:api:web-1',
        owner: 'wf-1',
        acquiredAt: new Date(T).toISOString(),
        expiresAt: T + 30_000,
      });
      expect(await store.locks.acquire('deploy:api:web-1', 'wf-2', 30_000, T + 1)).toBe(false);
      expect(await store.locks.acquire('deploy:api:web-1', 'wf-2', 30_000, T + 29_999)).toBe(false);
      expect(await store.locks.acquire('deploy:api:web-2', 'wf-2', 30_000, T + 1)).toBe(true); // other name
      // The holder re-acquiring renews its own lease.
      expect(await store.locks.acquire('deploy:api:web-1', 'wf-1', 30_000, T + 10)).toBe(true);
      expect((await store.locks.get('deploy:api:web-1'))?.expiresAt).toBe(T + 30_010);
      // Expired (the holder crashed): a contender takes it over.
      expect(await store.locks.acquire('deploy:api:web-1', 'wf-2', 30_000, T + 30_010)).toBe(true);
      expect(await store.locks.get('deploy:api:web-1')).toMatchObject({
        owner: 'wf-2',
        expiresAt: T + 60_010,
      });
      expect(await store.locks.get('nope')).toBeUndefined();
      expect((await store.locks.list('deploy:api:')).map((l) => l.name)).toEqual([
        'deploy:api:web-1',
        'deploy:api:web-2',
      ]);
      await expect(store.locks.acquire('x', 'o', 0, T)).rejects.toMatchObject({ code: 'AUT_INVALID_INPUT' });
    });

    it('heartbeats extend only the holder’s lease and keep contenders out', async () => {
      const store = await open();
      await store.locks.acquire('l', 'a', 1000, T);
      for (let t = T + 900; t < T + 5000; t += 900) {
        expect(await store.locks.heartbeat('l', 'a', 1000, t)).toBe(true);
        expect(await store.locks.acquire('l', 'b', 1000, t + 500)).toBe(false);
      }
      expect(await store.locks.heartbeat('l', 'b', 1000, T)).toBe(false);
      // Missed heartbeats: b takes over and a's next heartbeat tells it so.
      expect(await store.locks.acquire('l', 'b', 1000, T + 100_000)).toBe(true);
      expect(await store.locks.heartbeat('l', 'a', 1000, T + 100_001)).toBe(false);
      expect((await store.locks.get('l'))?.owner).toBe('b');
    });

    it('releases only for the holder', async () => {
      const store = await open();
      await store.locks.acquire('l', 'a', 1000, T);
      expect(await store.locks.release('l', 'b')).toBe(false);
      expect((await store.locks.get('l'))?.owner).toBe('a');
      expect(await store.locks.release('l', 'a')).toBe(true);
      expect(await store.locks.get('l')).toBeUndefined();
      expect(await store.locks.release('l', 'a')).toBe(false);
      expect(await store.locks.heartbeat('l', 'a', 1000, T)).toBe(false);
      expect(await store.locks.acquire('l', 'b', 1000, T)).toBe(true);
    });

    it('gives a free or expired lease to exactly one of many racing contenders on two handles', async () => {
      const [one, two] = await openTwo();
      const race = async (now: number): Promise<string[]> => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? one : two).locks.acquire('l', `o${now}-${i}`, 1000, now),
          ),
        );
        return results.flatMap((won, i) => (won ? [`o${now}-${i}`] : []));
      };
      const first = await race(T);
      expect(first).toHaveLength(1);
      expect((await one.locks.get('l'))?.owner).toBe(first[0]);
      const second = await race(T + 5000); // the first winner's lease has expired
      expect(second).toHaveLength(1);
      expect((await two.locks.get('l'))?.owner).toBe(second[0]);
    });
  });
}
