// GET /ws through a real socket (the `ws` client): authentication on the upgrade (headers or the
// key subprotocol), subscriptions with replay and resume, target scopes, bad frames, and closing.
// Workflows here are driven the way the engine drives them: store first, then publish on the bus.
// A real deployment over /ws is in e2e.test.ts.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowStatus } from '../../src/store/index.js';
import { startApi, type Api } from './harness.js';

type Frame = Record<string, unknown> & { type: string };

let api: Api;
let wsUrl: string;

/** A connected client that records every frame it gets. */
class Client {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private wake: () => void = () => undefined;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      }),
    );
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits until `done` holds for the frames received so far. */
  async until(done: (frames: Frame[]) => boolean, timeoutMs = 5000): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.frames)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.frames;
  }

  /** Waits for the next frame of `type` after the `from`-th frame. */
  async next(type: string, from = 0): Promise<Frame> {
    const frames = await this.until((f) => f.slice(from).some((x) => x.type === type));
    return frames.slice(from).find((x) => x.type === type) as Frame;
  }

  close(): void {
    this.socket.close();
  }
}

interface ConnectOptions {
  key?: string | null;
  protocols?: string[];
  headers?: Record<string, string>;
}

/** Opens /ws; resolves with the client once open, or with the HTTP status the upgrade got instead. */
function connect(options: ConnectOptions = {}): Promise<Client | { status: number; body: string }> {
  const key = options.key === undefined ? api.keys.viewer : options.key;
  const socket = new WebSocket(wsUrl, options.protocols, {
    headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(options.headers ?? {}) },
  });
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve(new Client(socket)));
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.on('error', reject);
  });
}

async function open(options: ConnectOptions = {}): Promise<Client> {
  const result = await connect(options);
  if (!(result instanceof Client)) throw new Error(`upgrade refused: ${result.status} ${result.body}`);
  return result;
}

let counter = 0;

/** A running workflow on `targets`, as the engine would have stored it. */
async function workflow(targets: string[] = ['web-1']): Promise<string> {
  counter += 1;
  const id = `wf-ws-${counter}`;
  await api.orch.store.workflows.create({
    id,
    tier: 1,
    source: 'https://example.com/x.git',
    app: 'shop',
    targets,
    requestedBy: 'test',
    status: 'running',
  });
  return id;
}

/** Stores a log line and then publishes it (the engine's order); returns its seq. */
async function storeLine(id: string, text: string): Promise<number> {
  return api.orch.store.logs.append(id, { target: 'web-1', step: 'build', stream: 'stdout', text });
}

function publishLine(id: string, seq: number, text: string): void {
  api.orch.bus.publish({
    type: 'log',
    workflowId: id,
    seq,
    target: 'web-1',
    step: 'build',
    stream: 'stdout',
    text,
    at: new Date().toISOString(),
  });
}

async function line(id: string, text: string): Promise<number> {
  const seq = await storeLine(id, text);
  publishLine(id, seq, text);
  return seq;
}

async function step(id: string, status: 'running' | 'succeeded'): Promise<void> {
  await api.orch.store.steps.upsert({ workflowId: id, target: 'web-1', step: 'build', status });
  api.orch.bus.publish({
    type: 'step',
    workflowId: id,
    target: 'web-1',
    step: 'build',
    status,
    detail: null,
    at: new Date().toISOString(),
  });
}

async function status(id: string, to: WorkflowStatus): Promise<void> {
  await api.orch.store.workflows.update(id, { status: to });
  api.orch.bus.publish({
    type: 'workflow.status',
    workflowId: id,
    app: 'shop',
    status: to,
    error: null,
    at: new Date().toISOString(),
  });
}

const seqs = (frames: Frame[], id?: string): number[] =>
  frames
    .filter((f) => f.type === 'log' && (id === undefined || f['workflow_id'] === id))
    .map((f) => f['seq'] as number);

const finished = (id: string) => (frames: Frame[]) =>
  frames.some((f) => f.type === 'status' && f['workflow_id'] === id && f['status'] === 'succeeded');

beforeAll(async () => {
  api = await startApi();
  wsUrl = `${api.url.replace(/^http/, 'ws')}/ws`;
}, 30_000);
afterAll(() => api.close());

describe('GET /ws: authentication on the upgrade', () => {
  it('answers 401 without a key, with a malformed and with an unknown key', async () => {
    const unknown = `atm_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    for (const key of [null, 'not-a-key', unknown]) {
      const result = await connect({ key });
      expect(result).toMatchObject({ status: 401 });
      expect(JSON.parse((result as { body: string }).body)).toMatchObject({
        error: { code: 'AUT_UNAUTHENTICATED' },
      });
    }
    // A bad key offered as a subprotocol fails the same way.
    expect(
      await connect({ key: null, protocols: ['automatos.v1', 'automatos.key.not-a-key'] }),
    ).toMatchObject({
      status: 401,
    });
  });

  it('accepts Authorization, X-API-Key and the automatos.key.<key> subprotocol; never echoes or logs the key', async () => {
    const bearer = await open();
    expect(bearer.socket.protocol).toBe('');
    bearer.close();
    const header = await open({ key: null, headers: { 'x-api-key': api.keys.operator } });
    header.close();
    // What a browser does: the key rides in Sec-WebSocket-Protocol, the server selects automatos.v1.
    const browser = await open({ key: null, protocols: ['automatos.v1', `automatos.key.${api.keys.agent}`] });
    expect(browser.socket.protocol).toBe('automatos.v1');
    browser.send({ type: 'subscribe', all: true });
    expect(await browser.next('subscribed')).toEqual({ type: 'subscribed', all: true });
    browser.close();
    await connect({ key: null, protocols: ['automatos.v1', 'automatos.key.atm_0123456789abcdef_bogus'] });
    const audit = JSON.stringify(await api.orch.audit.list({ limit: 100 }));
    for (const key of Object.values(api.keys)) expect(audit).not.toContain(key.slice(21));
    expect(audit).not.toContain('bogus');
  });

  it('answers a plain GET (no upgrade) with 426, after the key check', async () => {
    const res = await api.call('GET', '/ws', { key: api.keys.viewer });
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
    expect((await api.call('GET', '/ws', { key: null })).status).toBe(401);
  });
});

describe('GET /ws: subscriptions', () => {
  it('replays a workflow, then streams it live in order until its final status', async () => {
    const id = await workflow();
    await line(id, 'one');
    await line(id, 'two');
    await step(id, 'running');
    const client = await open();
    client.send({ type: 'subscribe', workflow: id });
    await client.until((f) => seqs(f).length === 2);
    expect(client.frames.slice(0, 3)).toEqual([
      { type: 'subscribed', workflow: id },
      { type: 'status', workflow_id: id, app: 'shop', status: 'running', error: null },
      expect.objectContaining({ type: 'step', workflow_id: id, step: 'build', status: 'running' }),
    ]);
    expect(client.frames[3]).toMatchObject({
      type: 'log',
      workflow_id: id,
      seq: 1,
      text: 'one',
      stream: 'stdout',
    });

    await line(id, 'three');
    // Two writers: 4 and 5 are stored, but 5 is published first. The client still gets 4, 5.
    const four = await storeLine(id, 'four');
    const five = await storeLine(id, 'five');
    publishLine(id, five, 'five');
    publishLine(id, four, 'four');
    await step(id, 'succeeded');
    await status(id, 'succeeded');
    const frames = await client.until(finished(id));
    expect(seqs(frames)).toEqual([1, 2, 3, 4, 5]);
    expect(frames.filter((f) => f.type === 'log').map((f) => f['text'])).toEqual([
      'one',
      'two',
      'three',
      'four',
      'five',
    ]);
    expect(frames.at(-1)).toEqual({
      type: 'status',
      workflow_id: id,
      app: 'shop',
      status: 'succeeded',
      error: null,
    });
    expect(frames.findIndex((f) => f.type === 'step' && f['status'] === 'succeeded')).toBeLessThan(
      frames.length - 1,
    );
    // The subscription ended with the final status: later events of that workflow are not sent.
    await line(id, 'after the end');
    client.send({ type: 'subscribe', all: true });
    await client.next('subscribed', frames.length);
    expect(seqs(client.frames)).toEqual([1, 2, 3, 4, 5]);
    client.close();
  });

  it('resumes with "after": a reconnect loses nothing and duplicates nothing', async () => {
    const id = await workflow();
    for (let i = 1; i <= 3; i += 1) await line(id, `line ${i}`);
    const first = await open();
    first.send({ type: 'subscribe', workflow: id });
    await first.until((f) => seqs(f).length === 3);
    await line(id, 'line 4');
    await first.until((f) => seqs(f).length === 4);
    first.close();
    await first.closed;
    const seen = seqs(first.frames);
    // Lines keep coming while nobody listens.
    for (let i = 5; i <= 8; i += 1) await line(id, `line ${i}`);

    const second = await open();
    second.send({ type: 'subscribe', workflow: id, after: Math.max(...seen) });
    await second.until((f) => seqs(f).length === 4);
    for (let i = 9; i <= 10; i += 1) await line(id, `line ${i}`);
    await status(id, 'succeeded');
    const frames = await second.until(finished(id));
    const resumed = seqs(frames);
    expect(resumed[0]).toBe(Math.max(...seen) + 1);
    const all = [...seen, ...resumed];
    expect(all).toEqual((await api.orch.store.logs.list(id)).map((c) => c.seq));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    second.close();
  });

  it('"all" delivers live events of every workflow in the key\'s scope, once each', async () => {
    const client = await open();
    client.send({ type: 'subscribe', all: true });
    await client.next('subscribed');
    const a = await workflow();
    const b = await workflow(['web-2']);
    await line(a, 'a1');
    await line(b, 'b1');
    await line(a, 'a2');
    await status(a, 'succeeded');
    await status(b, 'succeeded');
    const frames = await client.until((f) => finished(a)(f) && finished(b)(f));
    expect(seqs(frames, a)).toEqual([1, 2]);
    expect(seqs(frames, b)).toEqual([1]);
    client.send({ type: 'unsubscribe', all: true });
    await client.next('unsubscribed');
    const c = await workflow();
    await line(c, 'nobody listens');
    await client.send({ type: 'subscribe', workflow: 'wf-missing' });
    await client.next('error');
    expect(seqs(client.frames, c)).toEqual([]);
    client.close();
  });
});

describe('GET /ws: target scopes', () => {
  it('refuses a workflow outside the key\'s scope with an error frame; "all" hides it', async () => {
    const scoped = await api.key('viewer', ['web-1']);
    const inside = await workflow(['web-1']);
    const outside = await workflow(['other-1']);
    const mixed = await workflow(['web-1', 'other-1']);
    const client = await open({ key: scoped });
    client.send({ type: 'subscribe', workflow: outside });
    const denied = await client.next('error');
    expect(denied).toMatchObject({ type: 'error', code: 'AUT_FORBIDDEN', workflow: outside });
    client.send({ type: 'subscribe', workflow: mixed });
    await client.until((f) => f.filter((x) => x.type === 'error').length === 2);
    expect(client.frames.at(-1)).toMatchObject({ code: 'AUT_FORBIDDEN', workflow: mixed });
    client.send({ type: 'subscribe', workflow: 'wf-does-not-exist' });
    await client.until((f) => f.filter((x) => x.type === 'error').length === 3);
    expect(client.frames.at(-1)).toMatchObject({ code: 'AUT_NOT_FOUND', workflow: 'wf-does-not-exist' });

    // The connection is still good, for what is in scope.
    client.send({ type: 'subscribe', all: true });
    await client.next('subscribed');
    await line(outside, 'secret');
    await line(mixed, 'secret too');
    await line(inside, 'visible');
    await status(outside, 'succeeded');
    await status(inside, 'succeeded');
    const frames = await client.until(finished(inside));
    expect(frames.filter((f) => f['workflow_id'] === outside || f['workflow_id'] === mixed)).toEqual([]);
    expect(seqs(frames, inside)).toEqual([1]);
    expect(JSON.stringify(frames)).not.toContain('secret');

    const denials = (await api.orch.audit.list({ limit: 100 })).filter(
      (e) => e.action === 'auth.denied' && e.details['route'] === '/ws',
    );
    expect(denials.length).toBeGreaterThanOrEqual(2);
    client.close();
  });
});

describe('GET /ws: bad frames', () => {
  it('answers each bad frame with an error frame and keeps the connection', async () => {
    const client = await open();
    const bad: (string | Buffer)[] = [
      'not json',
      '[1,2]',
      JSON.stringify({ type: 'publish', workflow: 'x' }),
      JSON.stringify({ type: 'subscribe' }),
      JSON.stringify({ type: 'subscribe', workflow: 'x', after: -1 }),
      JSON.stringify({ type: 'subscribe', all: true, after: 3 }),
      JSON.stringify({ type: 'subscribe', workflow: 'x'.repeat(5000) }),
    ];
    for (const [i, frame] of bad.entries()) {
      client.send(frame);
      await client.until((f) => f.length === i + 1);
      expect(client.frames[i], String(frame).slice(0, 40)).toMatchObject({
        type: 'error',
        code: 'AUT_INVALID_INPUT',
      });
    }
    client.socket.send(Buffer.from('{"type":"subscribe","all":true}'), { binary: true });
    await client.until((f) => f.length === bad.length + 1);
    expect(client.frames.at(-1)).toMatchObject({ type: 'error', message: 'send JSON text frames' });
    client.send({ type: 'subscribe', all: true });
    expect(await client.next('subscribed')).toEqual({ type: 'subscribed', all: true });
    client.close();
  });

  it('closes with 1008 after repeated abuse, and with 1009 on a frame over 64 KiB', async () => {
    const client = await open();
    for (let i = 0; i < 12; i += 1) client.send('nope');
    expect((await client.closed).code).toBe(1008);
    expect(client.frames.filter((f) => f.type === 'error')).toHaveLength(10);

    const huge = await open();
    huge.send('x'.repeat(70 * 1024));
    expect((await huge.closed).code).toBe(1009);
  });
});

describe('GET /ws: closing', () => {
  it('closes every socket (1001) when the server closes', async () => {
    const own = await startApi();
    const saved = wsUrl;
    wsUrl = `${own.url.replace(/^http/, 'ws')}/ws`;
    const savedApi = api;
    api = own;
    try {
      const client = await open();
      client.send({ type: 'subscribe', all: true });
      await client.next('subscribed');
      await own.close();
      expect((await client.closed).code).toBe(1001);
    } finally {
      api = savedApi;
      wsUrl = saved;
    }
  }, 30_000);
});
