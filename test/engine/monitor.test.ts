import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HealthMonitor, monitorOnce, Orchestrator, recordHealth } from '../../src/engine/index.js';
import type { EngineEvent, MonitorCheck } from '../../src/engine/index.js';
import { isTransition } from '../../src/engine/monitor/index.js';
import type { AiModuleInput } from '../../src/manifest/index.js';
import { moduleOf } from '../plan/helpers.js';

const actor = { principal: 'test', source: 'cli' as const };

/** A loopback HTTP app whose /health answers what the test says, optionally late. */
interface FakeApp {
  port: number;
  status: number;
  body: string;
  delayMs: number;
  inFlight: number;
  maxInFlight: number;
  server: Server;
}

async function fakeApp(): Promise<FakeApp> {
  const app = { status: 200, body: '{"status":"ok"}', delayMs: 0, inFlight: 0, maxInFlight: 0 } as FakeApp;
  const answer = (res: ServerResponse): void => {
    app.inFlight -= 1;
    res.writeHead(app.status, { 'content-type': 'application/json' });
    res.end(app.body);
  };
  app.server = createServer((_req, res) => {
    app.inFlight += 1;
    app.maxInFlight = Math.max(app.maxInFlight, app.inFlight);
    if (app.delayMs > 0) setTimeout(() => answer(res), app.delayMs);
    else answer(res);
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const address = app.server.address();
  app.port = typeof address === 'object' && address !== null ? address.port : 0;
  return app;
}

let dir: string;
let orch: Orchestrator;
let events: EngineEvent[];
const servers: Server[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'automatos-monitor-'));
  orch = await Orchestrator.open({ dataDir: join(dir, 'data'), env: {} });
  events = [];
  orch.bus.subscribe((event) => events.push(event));
});

afterEach(async () => {
  await orch.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The store's view after a deploy: an active release whose workflow recorded its manifest. */
async function deployed(
  name: string,
  overrides: Partial<AiModuleInput> = {},
  target = 'local',
  releaseId = '20260101T000000.000Z-abcdef1',
): Promise<void> {
  const module = moduleOf({ name, ...overrides });
  const workflowId = `wf_${name}_${target}`;
  await orch.store.workflows.create({
    id: workflowId,
    tier: 1,
    source: '/src',
    app: name,
    targets: [target],
    requestedBy: 'test',
    status: 'succeeded',
    plan: { module, releaseId },
  });
  await orch.store.apps.releases.upsert({ app: name, target, releaseId, status: 'building', workflowId });
  await orch.store.apps.releases.activate(name, target, releaseId);
}

async function served(name: string, overrides: Partial<AiModuleInput> = {}): Promise<FakeApp> {
  const app = await fakeApp();
  servers.push(app.server);
  await deployed(name, { port: app.port, health_check: { timeout: 2 }, ...overrides });
  return app;
}

const round = async (): Promise<MonitorCheck[]> => monitorOnce(orch, { actor });
const states = (checks: MonitorCheck[]) => checks.map((c) => `${c.app}@${c.target}:${c.state}`);

describe('isTransition', () => {
  it('alerts on a change of state, and on a first result only when it is unhealthy', () => {
    expect(isTransition(null, 'healthy')).toBe(false);
    expect(isTransition(null, 'unhealthy')).toBe(true);
    expect(isTransition('healthy', 'healthy')).toBe(false);
    expect(isTransition('healthy', 'unhealthy')).toBe(true);
    expect(isTransition('unhealthy', 'unhealthy')).toBe(false);
    expect(isTransition('unhealthy', 'healthy')).toBe(true);
  });
});

describe('monitorOnce', () => {
  it('records every check and alerts only when the state changes', async () => {
    const app = await served('shop');
    const first = await round();
    expect(first).toEqual([
      expect.objectContaining({
        app: 'shop',
        target: 'local',
        releaseId: '20260101T000000.000Z-abcdef1',
        state: 'healthy',
        statusCode: 200,
        alert: null,
      }),
    ]);
    expect(first[0]?.detail).toContain('GET /health: HTTP/1.1 200 OK');

    app.status = 503;
    const down = await round();
    expect(down[0]).toMatchObject({ state: 'unhealthy', statusCode: 503 });
    expect(down[0]?.alert).toMatchObject({ state: 'unhealthy', previousState: 'healthy' });
    expect(down[0]?.alert?.message).toMatch(
      /^shop on local \(release 20260101T000000\.000Z-abcdef1\) is unhealthy \(was healthy\): GET \/health: HTTP\/1\.1 503/,
    );
    expect((await round())[0]).toMatchObject({ state: 'unhealthy', alert: null });

    app.status = 200;
    const up = await round();
    expect(up[0]?.alert).toMatchObject({ state: 'healthy', previousState: 'unhealthy' });
    expect(up[0]?.alert?.message).toContain('recovered: GET /health: HTTP/1.1 200');

    const history = await orch.store.health.list('shop');
    expect(history.map((r) => r.healthy)).toEqual([true, false, false, true]);
    expect(history.every((r) => r.releaseId === '20260101T000000.000Z-abcdef1')).toBe(true);
    const alerts = await orch.store.alerts.list({ app: 'shop' });
    expect(alerts.map((a) => a.state)).toEqual(['healthy', 'unhealthy']);
    expect(events.filter((e) => e.type === 'health').map((e) => e.type === 'health' && e.healthy)).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(events.filter((e) => e.type === 'alert')).toEqual([
      expect.objectContaining({ type: 'alert', id: alerts[1]?.id, state: 'unhealthy', app: 'shop' }),
      expect.objectContaining({ type: 'alert', id: alerts[0]?.id, state: 'healthy', target: 'local' }),
    ]);
  });

  it('alerts on a first result only when it is unhealthy', async () => {
    const app = await served('shop');
    app.status = 500;
    const [check] = await round();
    expect(check?.alert).toMatchObject({ state: 'unhealthy', previousState: null });
    expect(check?.alert?.message).toMatch(/is unhealthy: GET \/health/);
  });

  it('compares with the result the deploy recorded, whoever recorded it', async () => {
    const app = await served('shop');
    await recordHealth(orch, {
      app: 'shop',
      target: 'local',
      releaseId: '20260101T000000.000Z-abcdef1',
      healthy: true,
      statusCode: 200,
      latencyMs: 3,
      detail: 'healthy on attempt 1',
    });
    app.status = 502;
    expect((await round())[0]?.alert).toMatchObject({ previousState: 'healthy', state: 'unhealthy' });
  });

  it('skips apps without a health check or a recorded manifest, and records nothing for them', async () => {
    await served('off', { health_check: { enabled: false } });
    await orch.store.apps.releases.upsert({
      app: 'orphan',
      target: 'local',
      releaseId: '20260101T000000.000Z-abcdef1',
      status: 'active',
    });
    const checks = await round();
    expect(checks.map((c) => [c.app, c.state, c.detail])).toEqual([
      ['off', 'skipped', 'health_check.enabled is false'],
      ['orphan', 'skipped', 'the manifest of release 20260101T000000.000Z-abcdef1 is not recorded'],
    ]);
    expect(await orch.store.health.list('off')).toEqual([]);
    expect(events).toEqual([]);
  });

  it('checks only the active release of each target, and only the app asked for', async () => {
    await served('a');
    await served('b');
    // An older release of b is no longer active: not checked.
    await orch.store.apps.releases.upsert({
      app: 'b',
      target: 'local',
      releaseId: '20250101T000000.000Z-0000000',
      status: 'previous',
    });
    expect(states(await round())).toEqual(['a@local:healthy', 'b@local:healthy']);
    expect(states(await monitorOnce(orch, { actor, app: 'b' }))).toEqual(['b@local:healthy']);
    await expect(monitorOnce(orch, { actor, app: 'nope' })).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
  });

  it('records a target it cannot check as unhealthy, and still checks the others', async () => {
    await served('ok');
    await deployed('ghost-app', { port: 8080 }, 'ghost');
    const closed = await fakeApp();
    await new Promise((resolve) => closed.server.close(resolve));
    await deployed('down', { port: closed.port, health_check: { timeout: 2 } });
    const checks = await monitorOnce(orch, { actor, concurrency: 1 });
    expect(states(checks)).toEqual(['down@local:unhealthy', 'ghost-app@ghost:unhealthy', 'ok@local:healthy']);
    expect(checks[0]?.detail).toMatch(/^cannot reach 127\.0\.0\.1:\d+/);
    expect(checks[1]?.detail).toBe(
      'check failed: No target named "ghost". List them with `automatos targets ls`.',
    );
    expect(checks[1]?.alert?.state).toBe('unhealthy');
    expect((await orch.store.health.latest('ghost-app', 'ghost'))?.detail).toContain('check failed');
  });

  it('never stores a secret the health endpoint leaks', async () => {
    // No credential shape: only redaction by the stored value can catch it.
    const secret = 'swordfish-4242-opal';
    await orch.setSecret('leaky', 'API_TOKEN', secret, actor);
    const app = await served('leaky');
    app.status = 503;
    app.body = `{"status":"${secret}"}`;
    const [check] = await round();
    expect(check?.detail).toContain('[REDACTED]');
    expect(JSON.stringify([check, await orch.store.health.list('leaky'), events])).not.toContain(secret);
  });

  it('goes through the guard: every probe is an audited, loopback-only connection', async () => {
    await served('shop');
    await round();
    const records = await orch.audit.list({ limit: 10 });
    expect(records.map((r) => r.action)).toContain('connect');
  });
});

describe('HealthMonitor', () => {
  it('runs rounds on its interval without overlapping them, until stopped', async () => {
    const app = await served('slow');
    app.delayMs = 80;
    const rounds: MonitorCheck[][] = [];
    const monitor = new HealthMonitor(orch, { actor, intervalMs: 20, onRound: (c) => rounds.push(c) });
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 450));
    await monitor.stop();
    const after = monitor.rounds;
    expect(after).toBeGreaterThanOrEqual(3);
    expect(rounds).toHaveLength(after);
    expect(app.maxInFlight).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(monitor.rounds).toBe(after);
    expect((await orch.store.health.list('slow')).length).toBe(after);
  });

  it('stops at once in the middle of a round and records nothing half-done', async () => {
    const app = await served('hung', { health_check: { timeout: 30 } });
    app.delayMs = 60_000;
    const monitor = new HealthMonitor(orch, { actor, intervalMs: 1000 });
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    await monitor.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(monitor.rounds).toBe(0);
    expect(await orch.store.health.list('hung')).toEqual([]);
  });

  it('reports a failed round and keeps going', async () => {
    await served('shop');
    const errors: unknown[] = [];
    const monitor = new HealthMonitor(orch, {
      actor,
      app: 'missing',
      intervalMs: 20,
      onError: (error) => errors.push(error),
    });
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await monitor.stop();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatchObject({ code: 'AUT_NOT_FOUND' });
  });

  it('refuses a non-positive interval', () => {
    expect(() => new HealthMonitor(orch, { actor, intervalMs: 0 })).toThrow(/must be positive/);
  });
});
