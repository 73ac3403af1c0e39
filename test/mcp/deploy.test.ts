import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { registerTarget } from '../e2e/register-target.js';
import { stopAppsUnder, writeJobApp } from '../e2e/job-app.js';
import { startSshd, type Sshd } from '../harness/sshd.js';
import { dataOf, errorOf, startMcp, type McpSession } from './stdio-client.js';

// Deployments started by an assistant over MCP, to a real sshd target, followed with get_workflow.
let sshd: Sshd;
let base: string;
let dataDir: string;
let root: string;
let mcp: McpSession;

interface WorkflowView {
  id: string;
  status: string;
  finished: boolean;
  app: string;
  requested_by: string;
  steps: Array<{ target: string; step: string; status: string }>;
  log: Array<{ seq: number; text: string }>;
}

async function until(session: McpSession, id: string, seconds = 90): Promise<WorkflowView> {
  for (let i = 0; i < seconds * 4; i += 1) {
    const w = dataOf<WorkflowView>(await session.call('get_workflow', { id, log_lines: 20 }));
    if (w.finished) return w;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`workflow ${id} did not finish in ${seconds}s`);
}

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-mcp-deploy-'));
  dataDir = join(base, 'data');
  root = join(base, 'apps');
  const r = await registerTarget({ dataDir, name: 'web', sshd, root, keyDir: base });
  expect(r.code).toBe(0);
  mcp = await startMcp(dataDir);
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await stopAppsUnder(root);
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('deploy over MCP to an SSH target', () => {
  it(
    'returns a workflow id at once, runs it in the server, and get_workflow follows it to succeeded',
    { timeout: 180_000 },
    async () => {
      const targets = dataOf<{ targets: Array<{ name: string; host: string | null }> }>(
        await mcp.call('list_targets'),
      );
      expect(targets.targets.map((t) => t.name)).toEqual(['local', 'web']);

      const app = await writeJobApp(join(base, 'job-v1'), '1.0.0');
      const plan = dataOf<{ target: { name: string }; policy: { allowed: boolean } }>(
        await mcp.call('plan', { source: app, target: 'web' }),
      );
      expect(plan.target.name).toBe('web');
      expect(plan.policy.allowed).toBe(true);

      const started = Date.now();
      const first = dataOf<{ workflow_id: string; status: string; app: string; targets: string[] }>(
        await mcp.call('deploy', { source: app, targets: ['web'] }),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(first.app).toBe('fleet-job');
      expect(first.targets).toEqual(['web']);
      expect(['queued', 'running']).toContain(first.status);

      const done = await until(mcp, first.workflow_id);
      expect(done.status).toBe('succeeded');
      expect(done.requested_by).toMatch(/^mcp:/);
      expect(done.steps.filter((s) => s.target === 'web').map((s) => [s.step, s.status])).toEqual(
        expect.arrayContaining([
          ['build', 'succeeded'],
          ['release', 'succeeded'],
          ['verify', 'succeeded'],
        ]),
      );
      expect(done.log.length).toBeGreaterThan(0);
      expect(done.log.length).toBeLessThanOrEqual(20);

      const listed = dataOf<{ workflows: Array<{ id: string; status: string }> }>(
        await mcp.call('list_workflows', { app: 'fleet-job' }),
      );
      expect(listed.workflows).toContainEqual(
        expect.objectContaining({ id: first.workflow_id, status: 'succeeded' }),
      );

      const health = dataOf<{ healthy: boolean; checks: Array<{ target: string; state: string }> }>(
        await mcp.call('health', { app: 'fleet-job' }),
      );
      expect(health.checks).toEqual([expect.objectContaining({ target: 'web', state: 'healthy' })]);

      // Nothing left to stop.
      expect(errorOf(await mcp.call('stop_workflow', { id: first.workflow_id })).code).toBe('AUT_CONFLICT');

      // A second release, then back to the first.
      const v2 = await writeJobApp(join(base, 'job-v2'), '2.0.0');
      const second = dataOf<{ workflow_id: string }>(
        await mcp.call('deploy', { source: v2, targets: ['web'] }),
      );
      expect((await until(mcp, second.workflow_id)).status).toBe('succeeded');
      const back = dataOf<{ from: string; to: string; workflow_id: string }>(
        await mcp.call('rollback', { app: 'fleet-job', target: 'web' }),
      );
      expect(back.from).not.toBe(back.to);
      expect((await until(mcp, back.workflow_id)).status).toBe('succeeded');

      const audit = JSON.parse(
        (await runCli(['--data-dir', dataDir, 'audit', 'ls', '--limit', '1000', '--json'])).stdout,
      ) as Array<{ action: string; source: string; details: Record<string, unknown> }>;
      const tools = audit.filter((e) => e.action === 'mcp.tool').map((e) => e.details['tool']);
      expect(tools).toEqual(['deploy', 'deploy', 'rollback']);
      // The commands the deployments ran are recorded as the MCP principal's too.
      expect(audit.some((e) => e.action === 'exec' && e.source === 'mcp')).toBe(true);
    },
  );

  it('stops a running deployment it was asked to stop', { timeout: 120_000 }, async () => {
    const slow = await writeJobApp(join(base, 'job-slow'), '3.0.0', ['test_command: sleep 30']);
    const { workflow_id: id } = dataOf<{ workflow_id: string }>(
      await mcp.call('deploy', { source: slow, targets: ['web'] }),
    );
    // Let it reach a step that runs on the host before stopping it.
    for (let i = 0; i < 80; i += 1) {
      const w = dataOf<WorkflowView>(await mcp.call('get_workflow', { id }));
      if (w.steps.some((s) => s.step === 'test' && s.status === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const stopped = dataOf<{ status: string; was: string }>(await mcp.call('stop_workflow', { id }));
    expect(stopped).toMatchObject({ status: 'cancelled', was: 'running' });
    const done = await until(mcp, id, 30);
    expect(done.status).toBe('cancelled');
  });

  it(
    'when the client goes away, the server ends its deployments cleanly before it exits',
    { timeout: 60_000 },
    async () => {
      const session = await startMcp(dataDir);
      const app = await writeJobApp(join(base, 'job-v4'), '4.0.0');
      const { workflow_id: id } = dataOf<{ workflow_id: string }>(
        await session.call('deploy', { source: app, targets: ['web'] }),
      );
      // The client ends stdin, waits 2 s, then sends SIGTERM (as desktop assistants do).
      await session.close();
      const show = await runCli(['--data-dir', dataDir, 'workflows', 'show', id, '--json']);
      const status = (JSON.parse(show.stdout) as { status: string }).status;
      // Finished in the 2 s it was given, or stopped by the SIGTERM: never left running.
      expect(['succeeded', 'cancelled']).toContain(status);
      expect(session.stderr()).toContain('waiting for 1 deployment(s) to finish');
    },
  );
});
