// The CLI as a client of a real API server (test/server/harness.ts) deploying to a real sshd target
// (test/harness/sshd.ts): the target registered from a key file on the client, a deployment followed
// live over SSE, followers whose stream is cut or whose server goes away for a while (through a TCP
// relay, ./proxy.ts) resuming with Last-Event-ID, stop, rollback and a dry-run plan.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogChunk } from '../../../src/store/index.js';
import { stopAppsUnder, writeJobApp } from '../../e2e/job-app.js';
import { startSshd, type Sshd } from '../../harness/sshd.js';
import { startApi, type Api } from '../../server/harness.js';
import { runCli, type CliResult } from '../run-cli.js';
import { startProxy, type Proxy } from './proxy.js';

let sshd: Sshd;
let api: Api;
let base: string;
let root: string;
let appDir: string;
let keyFile: string;
const proxies: Proxy[] = [];

const remote = (args: string[], options: { key?: string; url?: string } = {}): Promise<CliResult> =>
  runCli(args, {
    env: {
      ...process.env,
      AUTOMATOS_URL: options.url ?? api.url,
      AUTOMATOS_API_KEY: options.key ?? api.keys.admin,
    },
  });

/** The stored log as `workflows logs` prints it: `[target] step     | line`, every chunk once, in order. */
const printed = (chunks: readonly LogChunk[]): string =>
  chunks
    .map((c) =>
      c.text
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `[${c.target ?? '-'}] ${(c.step ?? '').padEnd(8)} | ${line}\n`)
        .join(''),
    )
    .join('');

const storedLog = (id: string): Promise<LogChunk[]> => api.orch.store.logs.list(id);

async function detached(dir = appDir): Promise<string> {
  const result = await remote(['deploy', dir, '--target', 'web', '--detach', '--json'], {
    key: api.keys.operator,
  });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { workflowId: string }).workflowId;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-cli-remote-'));
  root = join(base, 'apps');
  api = await startApi({ allowLocalSources: true, dataDir: join(base, 'data') });
  keyFile = join(base, 'web.key');
  await writeFile(keyFile, sshd.privateKey, { mode: 0o600 });
  appDir = await writeJobApp(join(base, 'job'));
  // A build that talks for a few seconds, so a follower can lose its stream in the middle of it.
  const manifest = join(appDir, 'ai-module.yaml');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace(
      'build_command: "true"',
      'build_command: "for i in $(seq 1 40); do echo build line $i; sleep 0.1; done"',
    ),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await stopAppsUnder(root);
  await api?.close();
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('the CLI against a server and a real sshd target', () => {
  it('registers the target with a key file read on the client, and checks it', async () => {
    const add = await remote([
      'targets',
      'add',
      'web',
      '--host',
      '127.0.0.1',
      '--port',
      String(sshd.port),
      '--user',
      sshd.user,
      '--key',
      keyFile,
      '--fingerprint',
      sshd.hostKeyFingerprint,
      '--root',
      root,
      '--label',
      'role=web',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe(
      `added target web (${sshd.user}@127.0.0.1:${sshd.port}, policy standard)\n` +
        `  host key pinned: ${sshd.hostKeyFingerprint}\n`,
    );
    expect((await remote(['targets', 'show', 'web'])).stdout).not.toContain('PRIVATE KEY');
    const check = await remote(['targets', 'check', 'web'], { key: api.keys.operator });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^web: reachable\n/);
    expect(check.stdout).toContain(`deploy root    ${root} (writable)`);
  }, 30_000);

  it('pins a host key on first use with `targets check --trust-host-key`, which needs targets.write', async () => {
    const add = await remote([
      'targets',
      'add',
      'web-tofu',
      '--host',
      '127.0.0.1',
      '--port',
      String(sshd.port),
      '--user',
      sshd.user,
      '--key',
      keyFile,
    ]);
    expect(add.stdout).toContain('host key not pinned yet');
    const refused = await remote(['targets', 'check', 'web-tofu', '--trust-host-key'], {
      key: api.keys.operator,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('error: AUT_FORBIDDEN: role operator may not targets.write\n');
    const trusted = await remote(['targets', 'check', 'web-tofu', '--trust-host-key', '--json']);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ target: 'web-tofu', rootWritable: true });
    const shown = JSON.parse((await remote(['targets', 'show', 'web-tofu'])).stdout) as {
      host_key_fingerprint: string;
    };
    expect(shown.host_key_fingerprint).toBe(sshd.hostKeyFingerprint);
    expect((await remote(['targets', 'rm', 'web-tofu'])).code).toBe(0);
  }, 30_000);

  it('plans on the server for its target: the steps and commands the embedded plan prints', async () => {
    const plan = await remote(['plan', appDir, '--target', 'web'], { key: api.keys.agent });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /^Plan: fleet-job 1\.0\.0 \(automation\) → target web {3}\[tier 1: ai-module\.yaml\]\n/,
    );
    expect(plan.stdout).toContain('build line $i');
    expect(plan.stdout).toContain('web was only probed for its facts');
    const local = await runCli(['--data-dir', api.dataDir, 'plan', appDir, '--target', 'web'], {
      env: { ...process.env, AUTOMATOS_URL: '', AUTOMATOS_MASTER_KEY: '' },
    });
    // The same steps and the exact same commands (release ids aside) as the embedded plan.
    const commands = (text: string) =>
      text
        .split('\n')
        .filter((line) => /^(\d+\. | {3}\$ )/.test(line))
        .map((line) => line.replace(/\d{8}T\d{6}(\.\d+)?Z[-\w]*/g, '<release>'));
    expect(commands(plan.stdout).length).toBeGreaterThan(10);
    expect(commands(plan.stdout)).toEqual(commands(local.stdout));
    const json = JSON.parse((await remote(['plan', appDir, '--target', 'web', '--json'])).stdout) as {
      target: { name: string };
      steps: { name: string }[];
    };
    expect(json.target.name).toBe('web');
    expect(json.steps.map((s) => s.name)).toContain('verify');
  }, 30_000);

  it('deploys by label and follows the deployment live over SSE to its end', async () => {
    const result = await remote(['deploy', appDir, '--label', 'role=web'], { key: api.keys.operator });
    expect(result.code, result.stderr).toBe(0);
    const summary =
      /fleet-job release (\S+): succeeded \(workflow (\S+)\)\n {2}web {10}succeeded {4}serving (\S+) at http:\/\/127\.0\.0\.1:8000\/\n$/.exec(
        result.stdout,
      );
    expect(summary, result.stdout).not.toBeNull();
    const [, release, id, serving] = summary ?? [];
    expect(serving).toBe(release);
    // Every stdout line of the stored log, once and in order, then the summary (as embedded).
    const stored = await storedLog(id ?? '');
    expect(stored.some((c) => c.text.includes('build line 40'))).toBe(true);
    expect(result.stdout.slice(0, summary?.index)).toBe(printed(stored.filter((c) => c.stream === 'stdout')));
    expect(result.stderr).toContain('[web] verify   succeeded');
  }, 120_000);

  it('keeps a live deploy whole when its stream is cut: every line and every step change once', async () => {
    const proxy = await startProxy(api.url);
    proxies.push(proxy);
    const deploying = remote(['deploy', appDir, '--target', 'web'], {
      url: proxy.url,
      key: api.keys.operator,
    });
    await proxy.logFrames(5);
    proxy.cut();
    const result = await deploying;
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.streams()).toBeGreaterThanOrEqual(2);
    const id = /\(workflow (\S+)\)/.exec(result.stdout)?.[1] ?? '';
    const stored = await storedLog(id);
    const summary = result.stdout.indexOf('fleet-job release');
    expect(result.stdout.slice(0, summary)).toBe(printed(stored.filter((c) => c.stream === 'stdout')));
    const stepLines = result.stderr
      .split('\n')
      .filter((line) => /^\[web\] \S+ +(running|succeeded|skipped)/.test(line));
    expect(new Set(stepLines).size).toBe(stepLines.length);
    for (const step of await api.orch.store.steps.list(id)) {
      const shown = stepLines.filter((line) =>
        line.startsWith(`[web] ${step.step.padEnd(8)} ${step.status}`),
      );
      expect(shown, step.step).toHaveLength(1);
    }
  }, 120_000);

  it('resumes a follow whose stream is cut mid-way, losing and repeating nothing', async () => {
    const proxy = await startProxy(api.url);
    proxies.push(proxy);
    const id = await detached();
    const following = remote(['workflows', 'logs', id, '--follow'], { url: proxy.url, key: api.keys.viewer });
    await proxy.logFrames(5);
    proxy.cut();
    expect((await api.orch.store.workflows.get(id)).status).toBe('running');
    const result = await following;
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.streams()).toBeGreaterThanOrEqual(2);
    expect((await api.orch.store.workflows.get(id)).status).toBe('succeeded');
    expect(result.stdout).toBe(printed(await storedLog(id)));
  }, 120_000);

  it('rides out a server that is away for a while (connection refused), then resumes after the last line', async () => {
    const proxy = await startProxy(api.url);
    proxies.push(proxy);
    const id = await detached();
    const following = remote(['workflows', 'logs', id, '--follow'], { url: proxy.url, key: api.keys.viewer });
    await proxy.logFrames(5);
    await proxy.down(2500);
    const result = await following;
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.streams()).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toBe(printed(await storedLog(id)));
    // Without --follow: the stored log, the same.
    expect((await remote(['workflows', 'logs', id])).stdout).toBe(result.stdout);
  }, 120_000);

  it('stops a running deployment', async () => {
    const slow = await writeJobApp(join(base, 'slow'));
    const manifest = join(slow, 'ai-module.yaml');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8'))
        .replace('name: fleet-job', 'name: slow-job')
        .replace(
          'build_command: "true"',
          'build_command: "for i in $(seq 1 300); do echo slow $i; sleep 0.1; done"',
        ),
    );
    const id = await detached(slow);
    await waitFor(async () => (await storedLog(id)).some((c) => c.text.includes('slow 3')));
    const stop = await remote(['workflows', 'stop', id], { key: api.keys.operator });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toBe(
      `stop requested for ${id}: the deployment stops within a second and the previous release keeps serving\n`,
    );
    await waitFor(async () => (await api.orch.store.workflows.get(id)).finishedAt !== null);
    const shown = await remote(['workflows', 'show', id]);
    expect(shown.stdout).toMatch(new RegExp(`^workflow ${id}: cancelled\n`));
    const listed = await remote(['workflows', 'ls', '--app', 'slow-job', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id, status: 'cancelled', app: 'slow-job' }]);
  }, 120_000);

  it('exits 1 with the outcome as JSON when verify fails and the deployment rolls back', async () => {
    const marker = join(root, 'fleet-job', 'shared', 'fail-verify-1.0.0');
    await writeFile(marker, '');
    try {
      const result = await remote(['deploy', appDir, '--target', 'web', '--json'], {
        key: api.keys.operator,
      });
      expect(result.code, result.stderr).toBe(1);
      const outcome = JSON.parse(result.stdout) as { status: string; targets: { error: string | null }[] };
      expect(outcome).toMatchObject({ app: 'fleet-job', status: 'rolled_back' });
      expect(outcome.targets).toMatchObject([{ target: 'web', status: 'failed' }]);
      expect(outcome.targets[0]?.error).toEqual(expect.any(String));
    } finally {
      await rm(marker);
    }
  }, 120_000);

  it('rolls back over the API, replays its recorded steps, and shows the app as embedded', async () => {
    const releases = await api.orch.store.apps.releases.list('fleet-job');
    const serving = releases.find((r) => r.status === 'active')?.releaseId;
    const result = await remote(['rollback', 'fleet-job', '--target', 'web'], { key: api.keys.operator });
    expect(result.code, result.stderr).toBe(0);
    const line = /^fleet-job on web: rolled back from (\S+) to (\S+) \(workflow (\S+)\)\n$/m.exec(
      result.stdout,
    );
    expect(line?.[1]).toBe(serving);
    expect(result.stderr).toMatch(/\[web\] \S+ +succeeded/);
    const now = (await api.orch.store.apps.releases.list('fleet-job')).find((r) => r.status === 'active');
    expect(now?.releaseId).toBe(line?.[2]);

    const embedded = (args: string[]) =>
      runCli(['--data-dir', api.dataDir, ...args], {
        env: { ...process.env, AUTOMATOS_URL: '', AUTOMATOS_MASTER_KEY: '' },
      });
    const shown = await remote(['apps', 'show', 'fleet-job'], { key: api.keys.viewer });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe((await embedded(['apps', 'show', 'fleet-job'])).stdout);
    const apps = await remote(['apps', 'ls']);
    expect(apps.stdout).toContain('fleet-job\n');
    expect(apps.stdout).toBe((await embedded(['apps', 'ls'])).stdout);
    expect(existsSync(join(root, 'fleet-job', 'current'))).toBe(true);
  }, 120_000);
});
