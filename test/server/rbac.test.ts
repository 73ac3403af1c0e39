// The RBAC matrix: every route the server registers × every role, generated from the server's own
// route table, so a new route without an entry here fails the test instead of going untested.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Action, type Role } from '../../src/security/index.js';
import { startApi, type Api } from './harness.js';

/** The grants the issue specifies, written out here on purpose (not read from src/security). */
const EXPECTED: Record<Role, readonly Action[]> = {
  admin: [
    'read',
    'plan',
    'deploy',
    'approve',
    'rollback',
    'execute',
    'targets.write',
    'secrets.write',
    'audit.read',
    'keys.admin',
  ],
  operator: ['read', 'plan', 'deploy', 'approve', 'rollback', 'execute', 'secrets.write', 'audit.read'],
  viewer: ['read'],
  agent: ['read', 'plan', 'deploy'],
};

interface Sample {
  action: Action;
  /** A request the role may make: its status must not be 401/403. */
  path: string;
  body?: unknown;
  /** Headers the request needs besides the key and the content type. */
  headers?: Record<string, string>;
  /** The same request on a resource outside a key scoped to `web-1`: 403 for a scoped admin. */
  outside?: { path: string; body?: unknown };
}

const S = (action: Action, path: string, body?: unknown, outside?: Sample['outside']): Sample => ({
  action,
  path,
  ...(body === undefined ? {} : { body }),
  ...(outside === undefined ? {} : { outside }),
});

const deployBody = (target: string) => ({ repository_url: 'file:///nonexistent/repo.git', target });
const execBody = (target: string) => ({ target, command: 'true', timeout: 5 });
const planBody = (target: string) => ({ repository_url: 'file:///nonexistent/repo.git', target });
/** A Streamable HTTP client accepts both answers; the SDK's transport refuses (406) one that does not. */
const MCP_HEADERS = { accept: 'application/json, text/event-stream' };

const SAMPLES: Record<string, Sample> = {
  'POST /workflow': S('deploy', '/workflow', deployBody('local'), {
    path: '/workflow',
    body: deployBody('other-1'),
  }),
  'GET /workflows': S('read', '/workflows'),
  'GET /workflows/:id': S('read', '/workflows/wf-none', undefined, { path: '/workflows/wf-other' }),
  'DELETE /workflows/:id': S('deploy', '/workflows/wf-none', undefined, { path: '/workflows/wf-other' }),
  'POST /workflows/:id/approve': S(
    'approve',
    '/workflows/wf-none/approve',
    {},
    {
      path: '/workflows/wf-other/approve',
      body: {},
    },
  ),
  'POST /workflows/:id/reject': S(
    'approve',
    '/workflows/wf-none/reject',
    { reason: 'no' },
    {
      path: '/workflows/wf-other/reject',
      body: { reason: 'no' },
    },
  ),
  'GET /workflows/:id/events': S('read', '/workflows/wf-none/events', undefined, {
    path: '/workflows/wf-other/events',
  }),
  'POST /execute': S('execute', '/execute', execBody('local'), {
    path: '/execute',
    body: execBody('other-1'),
  }),
  'GET /api/v1/targets': S('read', '/api/v1/targets'),
  'GET /api/v1/targets/:name': S('read', '/api/v1/targets/nope', undefined, {
    path: '/api/v1/targets/other-1',
  }),
  'POST /api/v1/targets': S(
    'targets.write',
    '/api/v1/targets',
    { name: 'bad host', host: 'x', agent: true },
    { path: '/api/v1/targets', body: { name: 'other-2', host: '10.0.0.9', agent: true } },
  ),
  'DELETE /api/v1/targets/:name': S('targets.write', '/api/v1/targets/nope', undefined, {
    path: '/api/v1/targets/other-1',
  }),
  'POST /api/v1/targets/:name/check': S('plan', '/api/v1/targets/nope/check', undefined, {
    path: '/api/v1/targets/other-1/check',
  }),
  'GET /api/v1/apps': S('read', '/api/v1/apps'),
  'GET /api/v1/apps/:app': S('read', '/api/v1/apps/nope', undefined, { path: '/api/v1/apps/other-app' }),
  'POST /api/v1/apps/:app/rollback': S(
    'rollback',
    '/api/v1/apps/nope/rollback',
    { target: 'local' },
    {
      path: '/api/v1/apps/other-app/rollback',
      body: { target: 'other-1' },
    },
  ),
  'GET /api/v1/apps/:app/secrets': S('read', '/api/v1/apps/nope/secrets', undefined, {
    path: '/api/v1/apps/other-app/secrets',
  }),
  'PUT /api/v1/apps/:app/secrets/:name': S(
    'secrets.write',
    '/api/v1/apps/matrix/secrets/TOKEN',
    { value: 'v' },
    {
      path: '/api/v1/apps/other-app/secrets/TOKEN',
      body: { value: 'v' },
    },
  ),
  'DELETE /api/v1/apps/:app/secrets/:name': S('secrets.write', '/api/v1/apps/nope/secrets/TOKEN', undefined, {
    path: '/api/v1/apps/other-app/secrets/TOKEN',
  }),
  'GET /api/v1/audit': S('audit.read', '/api/v1/audit?limit=5', undefined, {
    path: '/api/v1/audit?target=other-1',
  }),
  'GET /metrics': S('read', '/metrics'),
  'GET /api/v1/audit/verify': S('audit.read', '/api/v1/audit/verify'),
  'GET /api/v1/keys': S('keys.admin', '/api/v1/keys', undefined, { path: '/api/v1/keys' }),
  'POST /api/v1/keys': S(
    'keys.admin',
    '/api/v1/keys',
    { role: 'viewer' },
    { path: '/api/v1/keys', body: { role: 'admin' } },
  ),
  'DELETE /api/v1/keys/:id': S('keys.admin', '/api/v1/keys/0000000000000000', undefined, {
    path: '/api/v1/keys/0000000000000000',
  }),
  // A plain GET: 426 after the key check. The real upgrade and the per-subscription scope check
  // (an error frame on the socket, not an HTTP 403) are tested below and in ws.test.ts.
  'GET /ws': S('read', '/ws'),
  'POST /api/v1/policy/check': S('read', '/api/v1/policy/check', { command: 'ls -la' }),
  'POST /api/v1/manifests/validate': S('read', '/api/v1/manifests/validate', { content: 'name: x\n' }),
  'GET /api/v1/templates/:module_type': S('read', '/api/v1/templates/web_app'),
  'POST /api/v1/plan': S('plan', '/api/v1/plan', planBody('local'), {
    path: '/api/v1/plan',
    body: planBody('other-1'),
  }),
  // The route needs `read`; each tool call is authorized again inside (tested in mcp-http.test.ts),
  // so there is no out-of-scope 403 here: a scoped key gets a tool error, not an HTTP status.
  'POST /mcp': {
    action: 'read',
    path: '/mcp',
    body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    headers: MCP_HEADERS,
  },
  'GET /mcp': S('read', '/mcp'),
  'DELETE /mcp': S('read', '/mcp'),
};

let api: Api;
let scopedAdmin: string;

beforeAll(async () => {
  // Generous limits: the matrix sends a few hundred requests from one address.
  api = await startApi({
    rateLimits: {
      perIp: { points: 100_000, duration: 60 },
      perKey: { points: 100_000, duration: 60 },
      execute: { points: 1000, duration: 60 },
      authFailures: { points: 100_000, duration: 60 },
      // Every failure audited one record each (no aggregation), as the audit test below reads them.
      failureAudit: { threshold: 100_000, window: 60 },
    },
  });
  scopedAdmin = await api.key('admin', ['web-1']);
  const { store } = api.orch;
  await store.targets.create({ name: 'other-1', host: '10.0.0.8', user: 'deploy', auth: { kind: 'agent' } });
  await store.workflows.create({
    id: 'wf-other',
    tier: 1,
    source: 'https://example.com/x.git',
    app: 'other-app',
    targets: ['other-1'],
    requestedBy: 'test',
    status: 'succeeded',
  });
  await store.apps.ensure('other-app');
  await store.apps.releases.upsert({
    app: 'other-app',
    target: 'other-1',
    releaseId: 'r1',
    status: 'active',
  });
}, 30_000);
afterAll(() => api.close());

const secured = () =>
  api.app.routeTable.filter(
    (r) => !r.url.startsWith('/docs') && !(r.access !== undefined && 'public' in r.access),
  );

describe('RBAC matrix', () => {
  it('has a sample for every secured route, with the action the route declares', () => {
    const routes = secured();
    expect(routes.length).toBeGreaterThanOrEqual(26);
    for (const route of routes) {
      const sample = SAMPLES[`${route.method} ${route.url}`];
      expect(sample, `no RBAC sample for ${route.method} ${route.url}`).toBeDefined();
      expect(route.access, `${route.method} ${route.url} declares no access`).toBeDefined();
      expect(route.access !== undefined && 'action' in route.access ? route.access.action : null).toBe(
        sample?.action,
      );
    }
    expect(Object.keys(SAMPLES).sort()).toEqual(routes.map((r) => `${r.method} ${r.url}`).sort());
  });

  it('answers 401 without a key, with a malformed key and with an unknown key on every secured route', async () => {
    const unknown = `atm_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    for (const route of secured()) {
      const sample = SAMPLES[`${route.method} ${route.url}`];
      if (sample === undefined) continue;
      for (const key of [null, 'not-a-key', unknown]) {
        const res = await api.call(route.method, sample.path, {
          key,
          ...(sample.body === undefined ? {} : { body: sample.body }),
          ...(sample.headers === undefined ? {} : { headers: sample.headers }),
        });
        expect(res.status, `${route.method} ${sample.path} with key ${String(key)}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUT_UNAUTHENTICATED');
      }
    }
  }, 60_000);

  for (const role of ROLES) {
    it(`gives ${role} exactly its grants on every route`, async () => {
      for (const route of secured()) {
        const sample = SAMPLES[`${route.method} ${route.url}`];
        if (sample === undefined) continue;
        const res = await api.call(route.method, sample.path, {
          key: api.keys[role],
          ...(sample.body === undefined ? {} : { body: sample.body }),
          ...(sample.headers === undefined ? {} : { headers: sample.headers }),
        });
        const label = `${role} ${route.method} ${sample.path} -> ${res.status} ${await res.clone().text()}`;
        if (EXPECTED[role].includes(sample.action)) {
          expect([401, 403], label).not.toContain(res.status);
          expect(res.status, label).toBeLessThan(500);
        } else {
          expect(res.status, label).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUT_FORBIDDEN');
        }
      }
    }, 60_000);
  }

  it('answers 403 to a key scoped to web-1 on every target-bound resource outside its scope', async () => {
    let checked = 0;
    for (const route of secured()) {
      const outside = SAMPLES[`${route.method} ${route.url}`]?.outside;
      if (outside === undefined) continue;
      const res = await api.call(route.method, outside.path, {
        key: scopedAdmin,
        ...(outside.body === undefined ? {} : { body: outside.body }),
      });
      expect(res.status, `${route.method} ${outside.path}: ${await res.clone().text()}`).toBe(403);
      checked += 1;
    }
    expect(checked).toBe(Object.values(SAMPLES).filter((s) => s.outside !== undefined).length);
  }, 60_000);

  it('hides out-of-scope resources from lists of a scoped key', async () => {
    const workflows = (await (await api.call('GET', '/workflows', { key: scopedAdmin })).json()) as {
      items: { id: string }[];
    };
    expect(workflows.items.map((w) => w.id)).not.toContain('wf-other');
    const all = (await (await api.call('GET', '/workflows')).json()) as { items: { id: string }[] };
    expect(all.items.map((w) => w.id)).toContain('wf-other');
    const targets = (await (await api.call('GET', '/api/v1/targets', { key: scopedAdmin })).json()) as {
      items: { name: string }[];
    };
    expect(targets.items).toEqual([]);
    const apps = (await (await api.call('GET', '/api/v1/apps', { key: scopedAdmin })).json()) as {
      items: unknown[];
    };
    expect(apps.items).toEqual([]);
  });

  it('lets an agent execute only with an execute grant', async () => {
    const granted = await api.key('agent', null, ['execute']);
    expect(
      (await api.call('POST', '/execute', { key: api.keys.agent, body: execBody('local') })).status,
    ).toBe(403);
    const res = await api.call('POST', '/execute', { key: granted, body: execBody('local') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { exit_code: number }).exit_code).toBe(0);
  });

  it('records every authentication failure and denial in the audit log with the source address', async () => {
    await api.call('GET', '/workflows', { key: 'atm_0123456789abcdef_bogus' });
    await api.call('POST', '/api/v1/keys', { key: api.keys.viewer, body: { role: 'admin' } });
    const events = await api.orch.audit.list({ limit: 20 });
    const failed = events.filter((e) => e.action === 'auth.failed').at(-1);
    const denied = events.filter((e) => e.action === 'auth.denied').at(-1);
    expect(failed?.details).toMatchObject({ ip: '127.0.0.1', reason: 'malformed', route: '/workflows' });
    expect(denied?.details).toMatchObject({ ip: '127.0.0.1', want: 'keys.admin', route: '/api/v1/keys' });
    expect(denied?.principal).toMatch(/^key:[0-9a-f]{16}$/);
    expect(JSON.stringify(events)).not.toContain(api.keys.viewer);
  });

  it('checks the key on a real WebSocket upgrade to /ws, and the scope on each subscription', async () => {
    const url = `${api.url.replace(/^http/, 'ws')}/ws`;
    const connect = (key: string | null) =>
      new Promise<{ status: number; socket: WebSocket }>((resolve, reject) => {
        const socket = new WebSocket(url, [], {
          headers: key === null ? {} : { authorization: `Bearer ${key}` },
        });
        socket.on('open', () => resolve({ status: 101, socket }));
        socket.on('unexpected-response', (_request, response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, socket });
        });
        socket.on('error', reject);
      });
    const unknown = `atm_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    for (const key of [null, 'not-a-key', unknown])
      expect((await connect(key)).status, String(key)).toBe(401);
    // Every role has `read`, which is all /ws needs.
    for (const role of ROLES) {
      const { status, socket } = await connect(api.keys[role]);
      expect(status, role).toBe(101);
      socket.close();
    }
    const { socket } = await connect(scopedAdmin);
    const frame = new Promise<Record<string, unknown>>((resolve) =>
      socket.on('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>)),
    );
    socket.send(JSON.stringify({ type: 'subscribe', workflow: 'wf-other' }));
    expect(await frame).toMatchObject({ type: 'error', code: 'AUT_FORBIDDEN', workflow: 'wf-other' });
    socket.close();
  });
});
