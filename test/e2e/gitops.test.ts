import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePush, Orchestrator, WorkflowEngine } from '../../src/engine/index.js';
import type { PushDelivery } from '../../src/engine/index.js';
import { verifyGithubSignature } from '../../src/server/webhooks/signature.js';
import { startSshd, type Sshd } from '../harness/sshd.js';
import { runCli } from '../cli/run-cli.js';
import { stopAppsUnder, writeJobApp } from './job-app.js';
import { registerTarget } from './register-target.js';

// GitOps end to end below the HTTP layer: a real git repository served over file://, a registered
// repository with its webhook secret, pushes signed like GitHub's, deploys to a real sshd target.
let sshd: Sshd;
let base: string;
let dataDir: string;
let root: string;
let origin: string;
let head: string;
let secret: string;

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
const url = () => `file://${origin}`;

function delivery(id: string, over: Partial<PushDelivery> = {}, signWith = secret): PushDelivery {
  const body = Buffer.from(JSON.stringify({ id }));
  const header = `sha256=${createHmac('sha256', signWith).update(body).digest('hex')}`;
  return {
    provider: 'github',
    deliveryId: id,
    urls: [url()],
    branch: 'main',
    commit: head,
    deleted: false,
    verify: (s) => verifyGithubSignature(s, body, header),
    ...over,
  };
}

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-gitops-'));
  dataDir = join(base, 'data');
  root = join(base, 'apps');
  expect((await registerTarget({ dataDir, name: 'web', sshd, root, keyDir: base })).code).toBe(0);
  origin = await writeJobApp(join(base, 'origin'));
  delete process.env['EDITOR'];
  await simpleGit().init([origin, '--initial-branch=main']);
  const g = simpleGit(origin).addConfig('user.email', 't@example.com').addConfig('user.name', 'T');
  await g.add('.').commit('the job app');
  head = (await g.revparse(['HEAD'])).trim();
  const added = await cli(
    'repos',
    'add',
    'job',
    '--url',
    url(),
    '--targets',
    'web',
    '--branch',
    'main',
    '--json',
  );
  expect(added.code, added.stderr).toBe(0);
  secret = (JSON.parse(added.stdout) as { webhook: { secret: string } }).webhook.secret;
}, 60_000);

afterAll(async () => {
  await cli('exec', '--target', 'web', '--', stopAppsUnder(root));
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('GitOps: a push deploys a registered repository', () => {
  it('lists the registration without its secret, and refuses bad registrations', async () => {
    const listed = await cli('repos', 'ls', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'job', provider: 'github', branch: 'main', targets: ['web'] }),
    ]);
    expect(listed.stdout).not.toContain(secret);
    const badUrl = await cli(
      'repos',
      'add',
      'evil',
      '--url',
      'ext::sh -c touch% /tmp/pwned',
      '--targets',
      'web',
    );
    expect(badUrl.code).not.toBe(0);
    expect(badUrl.stderr).toContain('ext::');
    const noTarget = await cli('repos', 'add', 'other', '--url', url(), '--targets', 'nowhere');
    expect(noTarget.code).not.toBe(0);
    expect(noTarget.stderr).toContain('nowhere');
  });

  it('deploys the pushed commit once; a replayed delivery does nothing', { timeout: 90_000 }, async () => {
    const orch = await Orchestrator.open({ dataDir, env: process.env });
    const engine = new WorkflowEngine(orch, { concurrency: 2 });
    try {
      const result = await handlePush(orch, engine, delivery('d-1'));
      expect(result).toMatchObject({ status: 'deployed', repositories: ['job'], errors: [] });
      const workflowId = result.status === 'deployed' ? (result.workflows[0]?.workflowId ?? '') : '';
      await engine.idle();
      const w = await orch.store.workflows.get(workflowId);
      expect(w).toMatchObject({ status: 'succeeded', commitSha: head, requestedBy: 'webhook:job' });
      expect(await handlePush(orch, engine, delivery('d-1'))).toEqual({
        status: 'duplicate',
        repositories: ['job'],
      });
      expect((await orch.store.workflows.list({ app: 'fleet-job' })).length).toBe(1);
    } finally {
      await engine.close();
      await orch.close();
    }
  });

  it('refuses a delivery signed with another secret, and ignores tags and other branches', async () => {
    const orch = await Orchestrator.open({ dataDir, env: process.env });
    const engine = new WorkflowEngine(orch);
    try {
      expect(await handlePush(orch, engine, delivery('d-2', {}, 'not the secret'))).toEqual({
        status: 'unauthenticated',
      });
      expect(
        await handlePush(orch, engine, delivery('d-3', { urls: ['https://github.com/acme/unknown'] })),
      ).toEqual({
        status: 'unauthenticated',
      });
      expect(await handlePush(orch, engine, delivery('d-4', { branch: 'feature' }))).toMatchObject({
        status: 'ignored',
        reason: 'no registration deploys branch feature',
      });
      expect(await handlePush(orch, engine, delivery('d-5', { branch: null }))).toMatchObject({
        status: 'ignored',
      });
      expect(engine.stats()).toEqual({ queued: 0, running: 0 });
    } finally {
      await engine.close();
      await orch.close();
    }
  });

  it('unregisters: the secret is gone and its pushes are refused', async () => {
    expect((await cli('repos', 'rm', 'job')).code).toBe(0);
    const orch = await Orchestrator.open({ dataDir, env: process.env });
    const engine = new WorkflowEngine(orch);
    try {
      expect(await handlePush(orch, engine, delivery('d-6'))).toEqual({ status: 'unauthenticated' });
      expect((await orch.keystore.list('secret')).map((k) => k.name)).not.toContain('webhook:job');
    } finally {
      await engine.close();
      await orch.close();
    }
  });
});
