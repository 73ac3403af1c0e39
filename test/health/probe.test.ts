// Health probes against real loopback servers, reached through the guard's connect: directly for
// the LocalExecutor, through the SSH connection (forwardOut) for an SshExecutor and a real sshd.
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeOnce, type Connect } from '../../src/engine/health/index.js';
import {
  GuardedExecutor,
  LocalExecutor,
  SshExecutor,
  type Executor,
  type GuardedTarget,
} from '../../src/exec/index.js';
import type { HealthProbe } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';

const actor = { principal: 'test:health', source: 'cli' as const };

function probeOf(overrides: Partial<HealthProbe>): HealthProbe {
  return {
    type: 'http',
    host: '127.0.0.1',
    port: 1,
    path: '/health',
    expectStatus: 200,
    command: null,
    intervalSec: 1,
    timeoutSec: 2,
    retries: 0,
    startPeriodSec: 0,
    via: 'local',
    ...overrides,
  };
}

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

// The app: 200 until told otherwise; records what each request looked like.
let status = 200;
const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];
const app = createHttpServer((req, res) => {
  seen.push({ method: req.method, url: req.url, headers: req.headers });
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(status === 200 ? 'ok' : 'database unreachable');
});
// Accepts connections and never answers.
const sockets: Socket[] = [];
const silent = createTcpServer((socket) => sockets.push(socket));
let appPort: number;
let silentPort: number;
let sshd: Sshd;

beforeAll(async () => {
  [appPort, silentPort, sshd] = await Promise.all([listen(app), listen(silent), startSshd()]);
}, 30_000);

afterAll(async () => {
  sockets.forEach((socket) => socket.destroy());
  app.closeAllConnections();
  await Promise.all([
    new Promise((resolve) => app.close(resolve)),
    new Promise((resolve) => silent.close(resolve)),
  ]);
  await sshd?.stop();
});

const kinds: Array<{ kind: string; make: () => Executor }> = [
  { kind: 'local', make: () => new LocalExecutor() },
  {
    kind: 'ssh',
    make: () =>
      new SshExecutor({
        name: 'sshd-health',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: { privateKey: sshd.privateKey },
        hostKey: { fingerprint: sshd.hostKeyFingerprint },
        readyTimeoutMs: 10_000,
      }),
  },
];

describe.each(kinds)('probeOnce through the $kind executor', ({ kind, make }) => {
  let executor: Executor;
  let connect: Connect;

  beforeAll(() => {
    executor = make();
    const guard = new GuardedExecutor({
      policy: createPolicyEngine(),
      audit: { append: async () => undefined },
    });
    const target: GuardedTarget = {
      name: kind,
      executor,
      profile: 'standard',
      home: '/tmp',
      sandbox: 'bwrap',
    };
    connect = (host, port) => guard.connect(target, host, port, actor);
  });
  afterAll(() => executor.close());

  it('sends a raw GET and is healthy on the expected status, unhealthy on 503', async () => {
    status = 200;
    seen.length = 0;
    const ok = await probeOnce(probeOf({ port: appPort }), connect);
    expect(ok).toMatchObject({ healthy: true, statusCode: 200 });
    expect(ok.detail).toBe('GET /health: HTTP/1.1 200 OK — ok');
    expect(ok.latencyMs).toBeGreaterThan(0);
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/health',
        headers: expect.objectContaining({ host: `127.0.0.1:${appPort}`, connection: 'close' }),
      },
    ]);

    status = 503;
    const bad = await probeOnce(probeOf({ port: appPort }), connect);
    expect(bad).toMatchObject({ healthy: false, statusCode: 503 });
    expect(bad.detail).toBe(
      'GET /health: HTTP/1.1 503 Service Unavailable (expected 200) — database unreachable',
    );
    status = 200;
  });

  it('tcp: healthy when the port accepts, unhealthy when it is closed', async () => {
    const open = await probeOnce(probeOf({ type: 'tcp', path: null, port: appPort }), connect);
    expect(open).toMatchObject({ healthy: true, statusCode: null });
    const closedPort = await freePort();
    const closed = await probeOnce(probeOf({ type: 'tcp', path: null, port: closedPort }), connect);
    expect(closed.healthy).toBe(false);
    expect(closed.detail).toContain(`cannot reach 127.0.0.1:${closedPort}`);
  });

  it('times out on a server that never answers', async () => {
    const started = Date.now();
    const result = await probeOnce(probeOf({ port: silentPort, timeoutSec: 0.5 }), connect);
    expect(result).toMatchObject({ healthy: false, statusCode: null });
    expect(result.detail).toBe(`timed out after 0.5s waiting for 127.0.0.1:${silentPort} to answer`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never leaves the target loopback', async () => {
    const result = await probeOnce(probeOf({ host: '10.1.2.3', port: appPort }), connect);
    expect(result.healthy).toBe(false);
    expect(result.detail).toContain('may only reach its loopback');
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await probeOnce(probeOf({ port: silentPort, timeoutSec: 10 }), connect, {
      signal: controller.signal,
    });
    expect(result).toMatchObject({ healthy: false, detail: 'cancelled' });
    expect(result.latencyMs).toBeLessThan(2000);
  });
});

describe('command probes', () => {
  const executor = new LocalExecutor();
  const guard = new GuardedExecutor({
    policy: createPolicyEngine(),
    audit: { append: async () => undefined },
  });
  const target: GuardedTarget = {
    name: 'local',
    executor,
    profile: 'standard',
    home: '/tmp',
    sandbox: 'bwrap',
  };
  const connect: Connect = () => Promise.reject(new Error('not used'));
  const runner = (command: string) => (options: { timeoutMs: number; signal?: AbortSignal }) =>
    guard.run(target, command, { cwd: '/tmp', ...options }, actor);

  it('is healthy on exit 0 and unhealthy otherwise, with the output in the detail', async () => {
    const check = probeOf({ type: 'command', path: null, command: 'x' });
    expect(await probeOnce(check, connect, { runCommand: runner('echo fine') })).toMatchObject({
      healthy: true,
      detail: 'command exited 0: fine',
    });
    expect(await probeOnce(check, connect, { runCommand: runner('echo broken >&2; exit 4') })).toMatchObject({
      healthy: false,
      detail: 'command exited 4: broken',
    });
    const slow = await probeOnce({ ...check, timeoutSec: 0.3 }, connect, { runCommand: runner('sleep 5') });
    expect(slow).toMatchObject({ healthy: false, detail: 'command timed out after 0.3s' });
  });

  it('goes through the policy: a denied check command is unhealthy, never run', async () => {
    const check = probeOf({ type: 'command', path: null, command: 'x' });
    const denied = await probeOnce(check, connect, { runCommand: runner('rm -rf /') });
    expect(denied.healthy).toBe(false);
    expect(denied.detail).toContain('command failed: command denied on local by policy rule');
  });
});
