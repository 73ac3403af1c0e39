// Rate limits through real HTTP: per address, per key, stricter on /execute and after failed
// authentications; each refusal is a 429 with Retry-After.
import { afterEach, describe, expect, it } from 'vitest';
import { startApi, type Api } from './harness.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const expect429 = async (res: Response, what: RegExp): Promise<void> => {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('AUT_RATE_LIMITED');
  expect(body.error.message).toMatch(what);
};

describe('rate limits', () => {
  it('limits requests per address, public routes included', async () => {
    api = await startApi({ rateLimits: { perIp: { points: 5, duration: 60 } } });
    for (let i = 0; i < 5; i += 1) expect((await api.call('GET', '/health', { key: null })).status).toBe(200);
    await expect429(await api.call('GET', '/health', { key: null }), /this address/);
  });

  it('limits requests per key; another key is not affected', async () => {
    api = await startApi({ rateLimits: { perKey: { points: 3, duration: 60 } } });
    for (let i = 0; i < 3; i += 1)
      expect((await api.call('GET', '/workflows', { key: api.keys.viewer })).status).toBe(200);
    await expect429(await api.call('GET', '/workflows', { key: api.keys.viewer }), /this key/);
    expect((await api.call('GET', '/workflows', { key: api.keys.operator })).status).toBe(200);
  });

  it('limits /execute more strictly than other routes', async () => {
    api = await startApi({ rateLimits: { execute: { points: 2, duration: 60 } } });
    const run = () =>
      api?.call('POST', '/execute', { body: { target: 'local', command: 'true' } }) as Promise<Response>;
    expect((await run()).status).toBe(200);
    expect((await run()).status).toBe(200);
    await expect429(await run(), /commands/);
    expect((await api.call('GET', '/workflows')).status).toBe(200);
  });

  it('refuses an address after repeated authentication failures, even with a valid key', async () => {
    api = await startApi({ rateLimits: { authFailures: { points: 3, duration: 60 } } });
    for (let i = 0; i < 3; i += 1)
      expect((await api.call('GET', '/workflows', { key: 'wrong' })).status).toBe(401);
    await expect429(await api.call('GET', '/workflows', { key: 'wrong' }), /failed authentications/);
    await expect429(await api.call('GET', '/workflows'), /failed authentications/);
    // Liveness stays reachable for load balancers.
    expect((await api.call('GET', '/health', { key: null })).status).toBe(200);
    const failures = (await api.orch.audit.list({ limit: 50 })).filter((e) => e.action === 'auth.failed');
    expect(failures).toHaveLength(3);
  });
});
