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
import { startApi, type Api } from '../server/harness.js';
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
  await stopAppsUnder(root);
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
      // The same push under another delivery id: the commit is deployed, nothing to do.
      expect(await handlePush(orch, engine, delivery('d-1-again'))).toMatchObject({
        status: 'ignored',
        reason: expect.stringMatching(/already deployed/) as unknown,
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

  it(
    'a captured delivery replayed with a new delivery id neither redeploys nor downgrades (HTTP)',
    { timeout: 180_000 },
    async () => {
      const api = await startApi({ dataDir });
      try {
        await replayAttack(api);
      } finally {
        await api.close();
      }
    },
  );

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

/** A push body as GitHub sends it, with its signature: what an eavesdropper could capture. */
function captured(sha: string): { body: string; signature: string } {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: sha,
    repository: { clone_url: url() },
  });
  return { body, signature: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
}

async function commitVersion(version: string): Promise<string> {
  await writeJobApp(origin, version);
  const g = simpleGit(origin);
  await g.add('.').commit(`version ${version}`);
  return (await g.revparse(['HEAD'])).trim();
}

/**
 * The attack: main moves A -> B -> C; C is deployed. Whoever captured a signed delivery (the
 * signature covers the body, not the delivery id header) sends it again under fresh ids: the
 * delivery of C (redeploy), the late delivery of B and the old one of A (downgrades), and one for a
 * commit force-pushed off main. None of them queues anything; each is answered with its reason and
 * recorded; C stays deployed.
 */
async function replayAttack(api: Api): Promise<void> {
  const send = async (push: { body: string; signature: string }, id: string) => {
    const res = await api.call('POST', '/webhooks/github', {
      key: null,
      body: push.body,
      headers: { 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': push.signature },
    });
    return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
  };
  const a = head;
  const b = await commitVersion('1.0.1');
  const c = await commitVersion('1.0.2');
  // A commit that was on main for a moment, then force-pushed away.
  const g = simpleGit(origin);
  const d = await commitVersion('1.0.3');
  await g.raw(['reset', '--hard', c]);

  const deployed = await send(captured(c), 'push-c-000001');
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(202);
  await api.engine.idle();
  const current = async () => (await api.orch.store.apps.releases.current('fleet-job', 'web'))?.commitSha;
  expect(await current()).toBe(c);
  const before = (await api.orch.store.workflows.list({ app: 'fleet-job' })).length;

  // Five replays of C at once: the commit is deployed, so none of them deploys it again.
  const replays = await Promise.all([1, 2, 3, 4, 5].map((i) => send(captured(c), `replay-c-00000${i}`)));
  for (const r of replays) {
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/already deployed/) });
  }
  // B's delivery, late or replayed: B is an ancestor of the deployed C, so it is no upgrade.
  const late = await send(captured(b), 'replay-b-000001');
  expect(late.status).toBe(200);
  expect(late.body).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/older than/) });
  // A was deployed before (and is an ancestor of C too).
  const old = await send(captured(a), 'replay-a-000001');
  expect(old.body).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/already deployed/) });
  // D is no longer on main.
  const stray = await send(captured(d), 'replay-d-000001');
  expect(stray.body).toMatchObject({
    status: 'ignored',
    reason: expect.stringMatching(/not on branch main/),
  });

  await api.engine.idle();
  expect((await api.orch.store.workflows.list({ app: 'fleet-job' })).length).toBe(before);
  expect(await current()).toBe(c);
  // Each refusal is recorded: in the deliveries and in the audit log.
  const rows = await api.orch.store.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'outcome'])
    .where('id', 'like', 'github:replay-%')
    .execute();
  expect(rows).toHaveLength(8);
  for (const row of rows) expect(row.outcome).toMatch(/^ignored: /);
  const audited = (await api.orch.audit.list({ limit: 200 })).filter((e) => e.action === 'webhook.ignored');
  expect(audited.length).toBeGreaterThanOrEqual(8);
  head = c;
}
