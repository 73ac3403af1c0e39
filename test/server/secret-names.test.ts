import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_NAMES, secretRows } from '../security/bad-names.js';
import { startApi, type Api } from './harness.js';

interface ErrorJson {
  error: { code: string; message: string; details: Record<string, unknown> };
}

let api: Api;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api?.close();
});

const secretPath = (app: string, name?: string): string =>
  `/api/v1/apps/${encodeURIComponent(app)}/secrets${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;

/**
 * `.` and `..` segments are resolved by the URL parser before the request leaves (even as %2e):
 * such a path reaches another route or none (404), which the contract of this route does not list.
 */
async function send(method: string, path: string): Promise<Response> {
  const body = method === 'PUT' ? { body: { value: 'v' } } : {};
  if (new URL(path, api.url).pathname === path) return api.call(method, path, body);
  return fetch(new URL(path, api.url), {
    method,
    headers: {
      authorization: `Bearer ${api.keys.admin}`,
      ...(method === 'PUT' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'PUT' ? { body: JSON.stringify({ value: 'v' }) } : {}),
  });
}

describe('secret and app names in the API', () => {
  it('control: a good name is stored (one row, one encrypted record)', async () => {
    const res = await api.call('PUT', secretPath('shop', 'API_TOKEN'), { body: { value: 'v4lue-control' } });
    expect(res.status).toBe(204);
    expect(secretRows(api.dataDir)).toEqual({ secrets: 1, keys: 1 });
  });

  it.each(BAD_NAMES.map((name) => [JSON.stringify(name), name]))(
    'refuses %s as an app or secret name with a 4xx JSON error, storing nothing',
    async (_shown, bad) => {
      for (const [method, path] of [
        ['PUT', secretPath(bad, 'API_TOKEN')],
        ['PUT', secretPath('shop', bad)],
        ['DELETE', secretPath(bad, 'API_TOKEN')],
        ['DELETE', secretPath('shop', bad)],
        ['GET', secretPath(bad)],
      ] as const) {
        const res = await send(method, path);
        expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        const body = (await res.json()) as ErrorJson;
        expect(body.error.code).toMatch(/^AUT_/);
        expect(typeof body.error.message).toBe('string');
      }
      expect(secretRows(api.dataDir)).toEqual({ secrets: 1, keys: 1 });
    },
  );

  it('answers a bad name in a well-formed path with 400 naming the field', async () => {
    const res = await api.call('PUT', secretPath('shop', '.env\n'), { body: { value: 'v' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorJson).error).toMatchObject({ code: 'AUT_INVALID_INPUT' });
    const app = await api.call('PUT', secretPath('Shop_1', 'API_TOKEN'), { body: { value: 'v' } });
    expect(app.status).toBe(400);
    expect(((await app.json()) as ErrorJson).error.message).toContain('app');
  });
});
