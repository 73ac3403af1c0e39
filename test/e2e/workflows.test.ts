import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor, Orchestrator, submitDeployment, WorkflowEngine } from '../../src/engine/index.js';
import type { EngineEvent } from '../../src/engine/index.js';
import { startPostgres, type Postgres } from '../harness/postgres.js';
import { startSshd, type Sshd } from '../harness/sshd.js';
import { registerTarget } from './register-target.js';
import { runCli } from '../cli/run-cli.js';
import { stopAppsUnder, writeJobApp } from './job-app.js';
import { runInTerminal } from './terminal.js';

// The queue, the event bus, detached deploys, the worker, target labels, the terminal view and
// the CLI on PostgreSQL, against one real sshd target.
let sshd: Sshd;
let base: string;
let dataDir: string;
let root: string;
let app: string;

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

interface WorkflowJson {
  id: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  steps?: Array<{ target: string; step: string; status: string }>;
}

async function show(id: string, dir = dataDir): Promise<WorkflowJson> {
  const r = await runCli(['--data-dir', dir, 'workflows', 'show', id, '--json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as WorkflowJson;
}

async function until(id: string, done: (w: WorkflowJson) => boolean, seconds = 60): Promise<WorkflowJson> {
  for (let i = 0; i < seconds * 5; i += 1) {
    const w = await show(id);
    if (done(w)) return w;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`workflow ${id} did not get there in ${seconds}s`);
}

const finished = (w: WorkflowJson) => w.finishedAt !== null;

async function addTarget(dir: string, extra: string[] = [], env?: NodeJS.ProcessEnv): Promise<void> {
  const r = await registerTarget({
    dataDir: dir,
    name: 'web',
    sshd,
    root,
    keyDir: base,
    extra: ['--label', 'role=web', ...extra],
    ...(env === undefined ? {} : { env }),
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-e2e-wf-'));
  dataDir = join(base, 'data');
  root = join(base, 'apps');
  app = await writeJobApp(join(base, 'job'));
  await addTarget(dataDir);
}, 60_000);

afterAll(async () => {
  await stopAppsUnder(root);
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('the queue and the event bus', () => {
  it(
    'queues a second deploy of the same app and target behind the first, and publishes every stored event',
    { timeout: 90_000 },
    async () => {
      const orch = await Orchestrator.open({ dataDir, env: process.env });
      const engine = new WorkflowEngine(orch, { concurrency: 4 });
      const events: EngineEvent[] = [];
      orch.bus.subscribe((e) => events.push(e));
      try {
        const first = await engine.submit({ source: app, targets: ['web'], dataDir }, cliActor());
        const second = await engine.submit({ source: app, targets: ['web'], dataDir }, cliActor());
        // The first is running by now; the second waits for the same (app, target).
        expect(engine.stats()).toEqual({ queued: 1, running: 1 });
        const [a, b] = await Promise.all([first.outcome, second.outcome]);
        expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
        const [wa, wb] = await Promise.all([
          orch.store.workflows.get(first.workflowId),
          orch.store.workflows.get(second.workflowId),
        ]);
        // The second waited in the queue: it started only after the first had finished.
        expect(Date.parse(wb.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(wa.finishedAt ?? ''));

        const statuses = events
          .filter((e) => e.type === 'workflow.status' && e.workflowId === second.workflowId)
          .map((e) => (e.type === 'workflow.status' ? e.status : ''));
        expect(statuses).toEqual(['queued', 'running', 'succeeded']);
        // Every log event is a stored chunk, with its seq, in order.
        const published = events.flatMap((e) =>
          e.type === 'log' && e.workflowId === first.workflowId ? [[e.seq, e.text]] : [],
        );
        const stored = await orch.store.logs.list(first.workflowId);
        const storedBySeq = new Map(stored.map((c) => [c.seq, c.text]));
        expect(published.length).toBeGreaterThan(0);
        for (const [seq, text] of published) expect(storedBySeq.get(seq as number)).toBe(text);
        expect(published.map(([seq]) => seq)).toEqual(
          [...published.map(([seq]) => seq)].sort((x, y) => Number(x) - Number(y)),
        );
        const steps = events.flatMap((e) =>
          e.type === 'step' && e.workflowId === first.workflowId && e.status !== 'running' ? [e.step] : [],
        );
        expect(steps).toEqual(expect.arrayContaining(['upload', 'prepare', 'build', 'release', 'verify']));
      } finally {
        await engine.close();
        await orch.close();
      }
    },
  );

  it('a workflow stopped while queued never runs', { timeout: 60_000 }, async () => {
    const orch = await Orchestrator.open({ dataDir, env: process.env });
    let id = '';
    try {
      const submitted = await submitDeployment(orch, { source: app, targets: ['web'], dataDir }, cliActor());
      await submitted.deployable.source.cleanup();
      id = submitted.workflowId;
    } finally {
      await orch.close();
    }
    expect((await cli('workflows', 'stop', id)).code).toBe(0);
    const w = await show(id);
    expect(w.status).toBe('cancelled');
    expect(w.finishedAt).not.toBeNull();
    const r = await cli('worker', '--workflow', id);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`workflow ${id} is not queued`);
    expect((await show(id)).steps).toEqual([]);
  });

  it(
    'the worker adopts a queued workflow nobody runs and runs it to the end',
    { timeout: 60_000 },
    async () => {
      const orch = await Orchestrator.open({ dataDir, env: process.env });
      let id = '';
      try {
        const submitted = await submitDeployment(
          orch,
          { source: app, targets: ['web'], dataDir },
          cliActor(),
        );
        await submitted.deployable.source.cleanup();
        id = submitted.workflowId;
      } finally {
        await orch.close();
      }
      const r = await cli('worker', '--once');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`[${id}] fleet-job succeeded`);
      expect((await show(id)).status).toBe('succeeded');
    },
  );
});

describe('deploy options', () => {
  it('--detach returns at once and a background worker deploys', { timeout: 90_000 }, async () => {
    const r = await cli('deploy', app, '--target', 'web', '--detach', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { workflowId: string; status: string; worker: { log: string } };
    expect(out.status).toBe('queued');
    const w = await until(out.workflowId, finished);
    expect(w.status).toBe('succeeded');
    expect(await readFile(out.worker.log, 'utf8')).toContain(`[${out.workflowId}] fleet-job succeeded`);
    const logs = await cli('workflows', 'logs', out.workflowId);
    expect(logs.stdout).toContain('verify');
  });

  it('--label selects registered targets; a label nobody has is refused', { timeout: 60_000 }, async () => {
    const ok = await cli('deploy', app, '--label', 'role=web', '--json');
    expect(ok.code).toBe(0);
    expect(
      (JSON.parse(ok.stdout) as { targets: Array<{ target: string }> }).targets.map((t) => t.target),
    ).toEqual(['web']);
    const none = await cli('deploy', app, '--label', 'role=db');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toBe('error: no registered target has the labels role=db\n');
    const neither = await cli('deploy', app);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give --target NAME');
  });

  it('shows a live step list on a terminal', { timeout: 90_000 }, async () => {
    const output = await runInTerminal(['--data-dir', dataDir, 'deploy', app, '--target', 'web']);
    expect(output.code).toBe(0);
    const plain = output.text;
    for (const step of ['upload', 'prepare', 'build', 'release'])
      expect(plain).toMatch(new RegExp(`✔ ${step}`));
    expect(plain).toMatch(/✔ verify: healthy/);
    expect(plain).toContain('rollback not needed');
    expect(plain).toMatch(/fleet-job release \S+: succeeded/);
    // Not the plain line view.
    expect(plain).not.toContain('[web] upload');
  });
});

describe('the CLI on PostgreSQL', () => {
  let pgServer: Postgres | undefined;

  afterAll(async () => {
    await pgServer?.stop();
  });

  it(
    'registers a target, deploys, lists workflows and verifies the audit chain with --database-url',
    { timeout: 120_000 },
    async () => {
      pgServer = await startPostgres();
      const url = await pgServer.createDatabase('automatos_cli');
      const pgData = join(base, 'pg-data');
      const env = { ...process.env, AUTOMATOS_DATABASE_URL: url };
      const pgCli = (...args: string[]) => runCli(['--data-dir', pgData, ...args], { env });
      await addTarget(pgData, [], env);
      const deployed = await pgCli('deploy', app, '--target', 'web', '--json');
      expect(deployed.code).toBe(0);
      const list = await runCli(['--data-dir', pgData, '--database-url', url, 'workflows', 'ls', '--json']);
      expect((JSON.parse(list.stdout) as WorkflowJson[]).map((w) => w.status)).toEqual(['succeeded']);
      expect((await pgCli('audit', 'verify')).code).toBe(0);
      // Nothing went to the data dir's SQLite file.
      expect(existsSync(join(pgData, 'automatos.db'))).toBe(false);
      // A wrong URL is a one-line error, not a stack trace.
      const bad = await runCli([
        '--data-dir',
        pgData,
        '--database-url',
        'postgres://nobody:hunter2@127.0.0.1:1/none',
        'workflows',
        'ls',
      ]);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(bad.stderr).not.toContain('hunter2');
    },
  );
});
