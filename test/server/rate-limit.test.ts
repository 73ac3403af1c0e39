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

  it('refuses an address after repeated authentication failures, but never a valid key', async () => {
    api = await startApi({ rateLimits: { authFailures: { points: 3, duration: 60 } } });
    for (let i = 0; i < 3; i += 1)
      expect((await api.call('GET', '/workflows', { key: 'wrong' })).status).toBe(401);
    await expect429(await api.call('GET', '/workflows', { key: 'wrong' }), /failed authentications/);
    await expect429(await api.call('GET', '/workflows', { key: null }), /failed authentications/);
    // The operator behind the same address still gets in.
    expect((await api.call('GET', '/workflows')).status).toBe(200);
    // Liveness stays reachable for load balancers.
    expect((await api.call('GET', '/health', { key: null })).status).toBe(200);
    // Every failure is audited, the refused ones too.
    const failures = (await api.orch.audit.list({ limit: 50 })).filter((e) => e.action === 'auth.failed');
    expect(failures).toHaveLength(5);
  });

  it('counts failures per presented key id too, from any address', async () => {
    api = await startApi({
      rateLimits: {
        authFailures: { points: 100, duration: 60 },
        authFailuresPerKey: { points: 2, duration: 60 },
      },
    });
    const id = /^atm_([0-9a-f]{16})_/.exec(api.keys.operator)?.[1] ?? '';
    const forged = `atm_${id}_${'A'.repeat(43)}`;
    expect((await api.call('GET', '/workflows', { key: forged })).status).toBe(401);
    expect((await api.call('GET', '/workflows', { key: forged })).status).toBe(401);
    await expect429(await api.call('GET', '/workflows', { key: forged }), /this key id/);
    // Another key id is not affected, and the real key with that id still works.
    expect((await api.call('GET', '/workflows', { key: 'wrong' })).status).toBe(401);
    expect((await api.call('GET', '/workflows', { key: api.keys.operator })).status).toBe(200);
  });
});
