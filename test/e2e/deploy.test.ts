import { existsSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';
import { registerTarget } from './register-target.js';
import { runCli } from '../cli/run-cli.js';
import { stopAppsUnder, writeJobApp } from './job-app.js';

// Real deployments: two sshd processes on loopback are two hosts, each with its own deploy root.
let web1: Sshd;
let web2: Sshd;
let base: string;
let dataDir: string;
const roots: Record<string, string> = {};

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

async function addTarget(name: string, sshd: Sshd): Promise<void> {
  const root = join(base, `${name}-apps`);
  roots[name] = root;
  const r = await registerTarget({ dataDir, name, sshd, root, keyDir: base });
  expect(r.stderr).toBe('');
}

/** A copy of examples/node-http on its own free port, optionally with its /health broken. */
async function nodeApp(
  name: string,
  port: number,
  options: { health?: number; test?: string } = {},
): Promise<string> {
  const dir = join(base, `src-${name}-${Math.random().toString(36).slice(2, 8)}`);
  await cp('examples/node-http', dir, { recursive: true });
  const manifest = (await readFile(join(dir, 'ai-module.yaml'), 'utf8'))
    .replace('port: 3000', `port: ${port}`)
    .replace('interval: 10', 'interval: 1')
    .replace('test_command: node --test', `test_command: ${options.test ?? 'node --test'}`);
  await writeFile(join(dir, 'ai-module.yaml'), manifest);
  if (options.health !== undefined) {
    const server = await readFile(join(dir, 'server.js'), 'utf8');
    await writeFile(
      join(dir, 'server.js'),
      server.replace(
        "res.writeHead(200, { 'content-type': 'application/json' });",
        `res.writeHead(${options.health}, { 'content-type': 'application/json' });`,
      ),
    );
  }
  return dir;
}

/** The id of the running workflow once it reaches its build step ('' if it never does in 20 s). */
async function workflowInBuild(): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const list = JSON.parse((await cli('workflows', 'ls', '--status', 'running', '--json')).stdout) as Array<{
      id: string;
      currentStep: string | null;
    }>;
    if (list[0]?.currentStep === 'build') return list[0].id;
  }
  return '';
}

const current = async (target: string, app: string) => readlink(join(roots[target] ?? '', app, 'current'));
const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health`)).status;

beforeAll(async () => {
  [web1, web2] = await Promise.all([startSshd(), startSshd()]);
  base = await mkdtemp(join(tmpdir(), 'automatos-e2e-'));
  dataDir = join(base, 'data');
  await addTarget('web1', web1);
  await addTarget('web2', web2);
}, 60_000);

afterAll(async () => {
  for (const root of Object.values(roots)) {
    // Stop what the tests started: the supervisor of every app deployed under this root.
    await stopAppsUnder(root);
  }
  await Promise.all([web1?.stop(), web2?.stop()]);
  await rm(base, { recursive: true, force: true });
});

describe('automatos deploy to a real SSH target', () => {
  let port: number;

  it('deploys, verifies and serves the Node example', async () => {
    port = await freePort();
    const r = await cli('deploy', await nodeApp('v1', port), '--target', 'web1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/node-http release \S+: succeeded/);
    expect(await health(port)).toBe(200);
    const env = join(roots['web1'] ?? '', 'node-http', 'shared', '.env');
    expect(statSync(env).mode & 0o777).toBe(0o600);
  });

  it('redeploys into a new release and keeps serving', async () => {
    const before = await current('web1', 'node-http');
    const r = await cli('deploy', await nodeApp('v2', port), '--target', 'web1');
    expect(r.code).toBe(0);
    expect(await current('web1', 'node-http')).not.toBe(before);
    expect(await health(port)).toBe(200);
  });

  it('never releases an app whose tests fail', async () => {
    const before = await current('web1', 'node-http');
    const r = await cli(
      'deploy',
      await nodeApp('broken-tests', port, { test: 'node -e "process.exit(3)"' }),
      '--target',
      'web1',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('test failed on web1: test_command exited 3');
    expect(await current('web1', 'node-http')).toBe(before);
    expect(await health(port)).toBe(200);
  });

  it(
    'rolls back when the new release fails its health check, and the previous one answers again',
    { timeout: 90_000 },
    async () => {
      const before = await current('web1', 'node-http');
      const r = await cli(
        'deploy',
        await nodeApp('unhealthy', port, { health: 503, test: 'node --check server.js' }),
        '--target',
        'web1',
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/node-http release \S+: rolled_back/);
      expect(r.stdout).toContain('HTTP/1.1 503');
      expect(await current('web1', 'node-http')).toBe(before);
      expect(await health(port)).toBe(200);
    },
  );

  it('records every deployment as a workflow with its steps and replayable logs', async () => {
    const list = JSON.parse((await cli('workflows', 'ls', '--app', 'node-http', '--json')).stdout) as Array<{
      id: string;
      status: string;
    }>;
    expect(list.map((w) => w.status)).toEqual(['rolled_back', 'failed', 'succeeded', 'succeeded']);
    const rolledBack = list[0]?.id ?? '';
    const show = await cli('workflows', 'show', rolledBack);
    expect(show.stdout).toMatch(/web1\s+verify\s+failed: unhealthy after 4 attempt/);
    expect(show.stdout).toMatch(/web1\s+rollback\s+succeeded/);
    const logs = await cli('workflows', 'logs', rolledBack);
    expect(logs.stdout).toMatch(/\[web1\] verify\s+\| attempt 4: unhealthy — GET \/health: HTTP\/1\.1 503/);
    expect(logs.stdout).toMatch(/\[web1\] rollback\s+\| attempt 1: healthy — GET \/health: HTTP\/1\.1 200/);
    expect((await cli('workflows', 'show', 'wf_nope')).code).toBe(2);
  });

  it('rolls back on demand and lists releases per target', { timeout: 60_000 }, async () => {
    const releases = JSON.parse((await cli('apps', 'show', 'node-http', '--json')).stdout) as {
      releases: Array<{ releaseId: string; status: string }>;
    };
    const active = releases.releases.find((r) => r.status === 'active')?.releaseId;
    const previous = releases.releases.find((r) => r.status === 'previous')?.releaseId;
    expect(active).toBeDefined();
    expect(previous).toBeDefined();
    const r = await cli('rollback', 'node-http', '--target', 'web1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`rolled back from ${active} to ${previous}`);
    expect(await current('web1', 'node-http')).toBe(
      join(roots['web1'] ?? '', 'node-http', 'releases', previous ?? ''),
    );
    expect(await health(port)).toBe(200);
    const missing = await cli('rollback', 'node-http', '--target', 'web1', '--to', '20990101T000000.000Z');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no release 20990101T000000.000Z on web1');
  });

  it(
    'stops a running deployment from another process: the remote build dies, the old release keeps serving',
    { timeout: 90_000 },
    async () => {
      const before = await current('web1', 'node-http');
      const dir = await nodeApp('slow', port);
      const manifest = await readFile(join(dir, 'ai-module.yaml'), 'utf8');
      await writeFile(
        join(dir, 'ai-module.yaml'),
        manifest.replace('build_command: node --check server.js', 'build_command: sleep 27.5'),
      );
      const running = cli('deploy', dir, '--target', 'web1');
      const id = await workflowInBuild();
      expect(id).not.toBe('');
      // Another process, as an operator would run it.
      const { execFileSync } = await import('node:child_process');
      const said = execFileSync(
        process.execPath,
        ['bin/automatos.js', '--data-dir', dataDir, 'workflows', 'stop', id],
        { encoding: 'utf8' },
      );
      expect(said).toContain(`stop requested for ${id}`);
      const r = await running;
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/node-http release \S+: cancelled/);
      expect((await cli('workflows', 'show', id)).stdout).toMatch(new RegExp(`^workflow ${id}: cancelled`));
      const { readdirSync, readFileSync } = await import('node:fs');
      const sleeping = readdirSync('/proc').filter((pid) => {
        try {
          return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('27.5');
        } catch {
          return false;
        }
      });
      expect(sleeping).toEqual([]);
      expect(await current('web1', 'node-http')).toBe(before);
      expect(await health(port)).toBe(200);
      const { openStore } = await import('../../src/store/index.js');
      const store = await openStore({ dataDir });
      expect(await store.locks.get('deploy:node-http:web1')).toBeUndefined();
      await store.close();
    },
  );

  it(
    'resumes a deployment whose orchestrator was SIGKILLed during the build',
    { timeout: 90_000 },
    async () => {
      const dir = await nodeApp('crash', port);
      const manifest = await readFile(join(dir, 'ai-module.yaml'), 'utf8');
      await writeFile(
        join(dir, 'ai-module.yaml'),
        manifest.replace(
          'build_command: node --check server.js',
          'build_command: sleep 3 && node --check server.js',
        ),
      );
      const { spawn } = await import('node:child_process');
      const child = spawn(
        process.execPath,
        ['bin/automatos.js', '--data-dir', dataDir, 'deploy', dir, '--target', 'web1'],
        {
          env: { ...process.env, AUTOMATOS_LEASE_TTL_MS: '2000' },
          stdio: 'ignore',
        },
      );
      const id = await workflowInBuild();
      expect(id).not.toBe('');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // Still `running` on record, but nobody renews its lease: after the TTL it is an orphan.
      expect((await cli('workflows', 'show', id)).stdout).toMatch(new RegExp(`^workflow ${id}: running`));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const resumed = await cli('workflows', 'resume');
      expect(resumed.stdout).toContain(`${id}: succeeded`);
      expect(resumed.code).toBe(0);
      const show = await cli('workflows', 'show', id, '--json');
      const workflow = JSON.parse(show.stdout) as { status: string; attempt: number; releaseId: string };
      expect(workflow).toMatchObject({ status: 'succeeded', attempt: 1 });
      expect(await current('web1', 'node-http')).toBe(
        join(roots['web1'] ?? '', 'node-http', 'releases', workflow.releaseId),
      );
      expect((await cli('workflows', 'logs', id)).stdout).toContain('upload already done before the restart');
      expect(await health(port)).toBe(200);
      expect((await cli('audit', 'verify')).code).toBe(0);
      expect((await cli('workflows', 'resume')).stdout).toBe(
        'nothing to resume: no workflow was left running by a crashed process\n',
      );
    },
  );

  it('refuses a second deployment of the same app to the same target while one holds the lease', async () => {
    const { openStore } = await import('../../src/store/index.js');
    const store = await openStore({ dataDir });
    expect(await store.locks.acquire('deploy:node-http:web1', 'wf_other', 60_000)).toBe(true);
    await store.close();
    const r = await cli('deploy', await nodeApp('locked', port), '--target', 'web1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('another deployment of node-http to web1 is running (wf_other)');
    const again = await openStore({ dataDir });
    expect(await again.locks.release('deploy:node-http:web1', 'wf_other')).toBe(true);
    await again.close();
  });

  it(
    'stores a secret encrypted and writes it only into the env file on the target',
    { timeout: 60_000 },
    async () => {
      const secret = 'sk-live-4f1d2c9b8a7e6d5c';
      const set = await runCli([
        '--data-dir',
        dataDir,
        'secrets',
        'set',
        'node-http',
        'API_TOKEN',
        '--value',
        secret,
      ]);
      expect(set.code).toBe(0);
      expect((await cli('secrets', 'ls', 'node-http')).stdout).toBe('API_TOKEN\n');
      // An app that leaks its secret everywhere it can: in the build output (split across two writes)
      // and in the body of a failing health check.
      const dir = await nodeApp('secret', port, { health: 503, test: 'node --check server.js' });
      const manifest = (await readFile(join(dir, 'ai-module.yaml'), 'utf8')).replace(
        'build_command: node --check server.js',
        `build_command: node -e "const s=process.env.API_TOKEN; process.stdout.write(s.slice(0,6)); setTimeout(()=>console.log(s.slice(6)),50)"`,
      );
      await writeFile(join(dir, 'ai-module.yaml'), `${manifest}\nsecrets:\n  - API_TOKEN\n`);
      const server = await readFile(join(dir, 'server.js'), 'utf8');
      await writeFile(
        join(dir, 'server.js'),
        server.replace("status: 'ok'", 'status: process.env.API_TOKEN'),
      );
      const r = await cli('deploy', dir, '--target', 'web1');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('[REDACTED]');
      expect(r.stdout + r.stderr).not.toContain(secret);
      const env = await readFile(join(roots['web1'] ?? '', 'node-http', 'shared', '.env'), 'utf8');
      expect(env).toContain(`API_TOKEN="${secret}"`);
      for (const file of ['automatos.db', 'automatos.db-wal']) {
        const path = join(dataDir, file);
        if (existsSync(path)) expect((await readFile(path)).includes(secret)).toBe(false);
      }
      const id =
        (JSON.parse((await cli('workflows', 'ls', '--json')).stdout) as Array<{ id: string }>)[0]?.id ?? '';
      expect((await cli('workflows', 'logs', id)).stdout).toContain('[REDACTED]');
      expect((await cli('workflows', 'show', id)).stdout).not.toContain(secret);
      expect((await cli('audit', 'ls', '--json')).stdout).not.toContain(secret);
      expect(await health(port)).toBe(200);
    },
  );

  it('refuses to deploy when a declared secret is not set', async () => {
    const dir = await nodeApp('missing-secret', port);
    await writeFile(
      join(dir, 'ai-module.yaml'),
      `${await readFile(join(dir, 'ai-module.yaml'), 'utf8')}\nsecrets:\n  - NOT_SET\n`,
    );
    const r = await cli('deploy', dir, '--target', 'web1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('node-http needs secrets that are not set: NOT_SET');
  });
});

const jobApp = (version: string): Promise<string> => writeJobApp(join(base, `job-${version}`), version);

describe('deploying to several targets', () => {
  it('deploys to two targets in one run', { timeout: 90_000 }, async () => {
    const r = await cli('deploy', await jobApp('1.0.0'), '--target', 'web1,web2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/web1\s+succeeded/);
    expect(r.stdout).toMatch(/web2\s+succeeded/);
  });

  it('rolls the whole fleet back when one host fails verification', { timeout: 90_000 }, async () => {
    const before = [await current('web1', 'fleet-job'), await current('web2', 'fleet-job')];
    // Only version 2.0.0 checks this marker: the rollback must verify 1.0.0 with 1.0.0's own manifest.
    await writeFile(join(roots['web2'] ?? '', 'fleet-job', 'shared', 'fail-verify-2.0.0'), '');
    const r = await cli('deploy', await jobApp('2.0.0'), '--target', 'web1,web2', '--batch', '1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fleet-job release \S+: rolled_back/);
    expect(r.stdout).toMatch(/web1\s+rolled_back/);
    expect(r.stdout).toMatch(/web2\s+rolled_back/);
    expect([await current('web1', 'fleet-job'), await current('web2', 'fleet-job')]).toEqual(before);
    // The store agrees: the old release serves again on both, the new one is marked rolled back.
    const { releases } = JSON.parse((await cli('apps', 'show', 'fleet-job', '--json')).stdout) as {
      releases: Array<{ target: string; releaseId: string; status: string }>;
    };
    for (const [target, path] of [
      ['web1', before[0]],
      ['web2', before[1]],
    ] as const) {
      const active = releases
        .filter((r) => r.target === target && r.status === 'active')
        .map((r) => r.releaseId);
      expect(active).toEqual([path?.split('/').pop()]);
    }
  });
});

describe('keeping releases', () => {
  it('keeps keep_releases release directories and records the pruned ones', { timeout: 90_000 }, async () => {
    const ids: string[] = [];
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      const dir = await writeJobApp(join(base, `keep-${version}`), version, ['keep_releases: 2']);
      const manifest = await readFile(join(dir, 'ai-module.yaml'), 'utf8');
      await writeFile(join(dir, 'ai-module.yaml'), manifest.replace('name: fleet-job', 'name: keep-job'));
      const r = await cli('deploy', dir, '--target', 'web2', '--json');
      expect(r.code).toBe(0);
      ids.push((JSON.parse(r.stdout) as { releaseId: string }).releaseId);
    }
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(roots['web2'] ?? '', 'keep-job', 'releases'))).sort()).toEqual(
      ids.slice(1).sort(),
    );
    const { releases } = JSON.parse((await cli('apps', 'show', 'keep-job', '--json')).stdout) as {
      releases: Array<{ releaseId: string; status: string }>;
    };
    expect(releases.find((r) => r.releaseId === ids[0])?.status).toBe('pruned');
    expect(releases.find((r) => r.releaseId === ids[2])?.status).toBe('active');
  });
});
