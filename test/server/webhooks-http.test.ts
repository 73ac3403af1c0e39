// The webhook and metrics routes through real HTTP: signatures on the raw bytes, replays, pings,
// unknown repositories, and /metrics behind a key.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRepository } from '../../src/engine/index.js';
import { startApi, type Api } from './harness.js';

let api: Api;
let secret: string;
const URL_ = 'https://github.com/acme/shop.git';
const SHA = 'b'.repeat(40);

// No API key: a delivery is authenticated by its signature.
const post = (path: string, body: string, headers: Record<string, string>) =>
  api.call('POST', path, { key: null, body, headers });
const sign = (body: string, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const push = (ref: string) =>
  JSON.stringify({
    ref,
    after: SHA,
    repository: { clone_url: URL_, ssh_url: 'git@github.com:acme/shop.git' },
  });

beforeAll(async () => {
  api = await startApi();
  // A registration whose targets exist; its pushes name a tag or another branch here, so nothing is cloned.
  ({ secret } = await registerRepository(
    api.orch,
    { name: 'shop', url: URL_, provider: 'github', branch: 'main', targets: ['local'] },
    { principal: 'test', source: 'cli' },
  ));
});

afterAll(async () => {
  await api?.close();
});

describe('POST /webhooks/github', () => {
  it('acknowledges a ping without deploying anything', async () => {
    const res = await post('/webhooks/github', '{"zen":"hi"}', {
      'x-github-event': 'ping',
      'x-github-delivery': 'ping-0001',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'ignored' });
  });

  it('refuses a bad signature with 401, audited, and an unsigned one too', async () => {
    const body = push('refs/heads/main');
    for (const signature of [sign(body, 'wrong secret'), undefined, sign(`${body} `)]) {
      const res = await post('/webhooks/github', body, {
        'x-github-event': 'push',
        'x-github-delivery': `bad-${Math.random().toString(36).slice(2, 10)}`,
        ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUT_UNAUTHENTICATED');
    }
    const failures = (await api.orch.audit.list({ limit: 100 })).filter(
      (e) => e.action === 'auth.failed' && e.source === 'webhook',
    );
    expect(failures).toHaveLength(3);
  });

  it('accepts a signed push of another branch as ignored, and answers a replay as a duplicate', async () => {
    const body = push('refs/heads/feature');
    const headers = {
      'x-github-event': 'push',
      'x-github-delivery': 'delivery-0001',
      'x-hub-signature-256': sign(body),
    };
    const first = await post('/webhooks/github', body, headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'ignored', repositories: ['shop'] });
    const replay = await post('/webhooks/github', body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate', repositories: ['shop'] });
    expect(await api.orch.store.workflows.list()).toEqual([]);
  });

  it('refuses a missing delivery id and a body that is not JSON', async () => {
    expect(
      (await post('/webhooks/github', push('refs/heads/main'), { 'x-github-event': 'push' })).status,
    ).toBe(400);
    const res = await post('/webhooks/github', '{not json', {
      'x-github-event': 'push',
      'x-github-delivery': 'x-00000001',
    });
    expect(res.status).toBe(400);
  });
});

describe('GET /metrics', () => {
  it('needs a key and answers in the Prometheus text format', async () => {
    expect((await api.call('GET', '/metrics', { key: null })).status).toBe(401);
    const res = await api.call('GET', '/metrics', { key: api.keys.viewer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('automatos_workflows{status="queued"} 0');
    // The 401 above is counted from the audit log.
    expect(text).toMatch(/automatos_auth_failures_total\{action="auth.failed",source="api"\} [1-9]/);
  });
});
