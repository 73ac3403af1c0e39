import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorCommand } from '../../src/cli/commands/monitor.js';
import { contextFor } from '../../src/cli/context.js';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';
import { registerTarget } from './register-target.js';
import { runCli } from '../cli/run-cli.js';
import { stopAppsUnder, writeJobApp } from './job-app.js';

// Monitoring of real deployments on a real sshd target: the checks travel through the SSH
// connection (forwarded ports, or the check command under the target's policy).
let web1: Sshd;
let base: string;
let dataDir: string;
let root: string;
let port: number;
/** While this file exists, the app's /health answers 503. */
let marker: string;

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

/** A copy of examples/node-http on a free port whose /health fails while `marker` exists. */
async function nodeApp(): Promise<string> {
  const dir = join(base, 'src-node-http');
  await cp('examples/node-http', dir, { recursive: true });
  const manifest = (await readFile(join(dir, 'ai-module.yaml'), 'utf8'))
    .replace('port: 3000', `port: ${port}`)
    .replace('interval: 10', 'interval: 1')
    .replace('test_command: node --test', 'test_command: node --check server.js')
    .replace('  NODE_ENV: production', `  NODE_ENV: production\n  HEALTH_MARKER: ${marker}`);
  await writeFile(join(dir, 'ai-module.yaml'), manifest);
  const server = (await readFile(join(dir, 'server.js'), 'utf8'))
    .replace("import { createServer } from 'node:http';", "import { existsSync } from 'node:fs';\n$&")
    .replace(
      "res.writeHead(200, { 'content-type': 'application/json' });",
      "res.writeHead(existsSync(process.env.HEALTH_MARKER) ? 503 : 200, { 'content-type': 'application/json' });",
    );
  await writeFile(join(dir, 'server.js'), server);
  return dir;
}

interface Shown {
  health: Array<{ healthy: boolean; releaseId: string; detail: string }>;
  alerts: Array<{ state: string; previousState: string | null; message: string }>;
}

const shown = async (app: string): Promise<Shown> =>
  JSON.parse((await cli('apps', 'show', app, '--json')).stdout) as Shown;

beforeAll(async () => {
  web1 = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-monitor-e2e-'));
  dataDir = join(base, 'data');
  root = join(base, 'web1-apps');
  // In the app's shared/ dir: the confined app sees nothing else of the machine's /tmp.
  marker = join(root, 'node-http', 'shared', 'unhealthy');
  port = await freePort();
  const added = await registerTarget({ dataDir, name: 'web1', sshd: web1, root, keyDir: base });
  expect(added.stderr).toBe('');
}, 60_000);

afterAll(async () => {
  // Stop what the tests started: the supervisor of every app deployed under the root.
  await stopAppsUnder(root);
  await web1?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('automatos monitor on a real SSH target', () => {
  let releaseId = '';

  it('starts from the health result the deploy recorded, and reports healthy', async () => {
    const deployed = await cli('deploy', await nodeApp(), '--target', 'web1', '--json');
    expect(deployed.code).toBe(0);
    releaseId = (JSON.parse(deployed.stdout) as { releaseId: string }).releaseId;
    const verified = await shown('node-http');
    expect(verified.health).toEqual([
      expect.objectContaining({
        healthy: true,
        releaseId,
        detail: expect.stringMatching(/^healthy on attempt/),
      }),
    ]);

    const r = await cli('monitor', '--once');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^healthy +node-http +web1 +${releaseId} +GET /health: HTTP/1\\.1 200 OK`, 'm'),
    );
    expect(r.stdout).not.toContain('alert:');
    expect((await shown('node-http')).alerts).toEqual([]);
  });

  it('exits 1 and records an alert when the live release turns unhealthy', async () => {
    await writeFile(marker, '');
    const r = await cli('monitor', '--once', '--app', 'node-http');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^unhealthy +node-http +web1 .*HTTP\/1\.1 503/m);
    expect(r.stdout).toContain(
      `alert: node-http on web1 (release ${releaseId}) is unhealthy (was healthy): GET /health: HTTP/1.1 503`,
    );
    // Still unhealthy: recorded again, but no second alert.
    expect((await cli('monitor', '--once')).code).toBe(1);
    const { health, alerts } = await shown('node-http');
    expect(health.map((h) => h.healthy)).toEqual([false, false, true, true]);
    expect(alerts).toEqual([expect.objectContaining({ state: 'unhealthy', previousState: 'healthy' })]);
  });

  it('keeps watching until stopped and prints the recovery', { timeout: 20_000 }, async () => {
    let out = '';
    let err = '';
    const io = {
      out: (text: string) => void (out += text),
      err: (text: string) => void (err += text),
      cwd: process.cwd(),
      env: process.env,
    };
    const stop = new AbortController();
    const watching = monitorCommand(contextFor(io, { dataDir }), { interval: '0.2' }, stop.signal);
    for (let i = 0; i < 50 && !out.includes('unhealthy'); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    // The first round shows every app and target; from there on only changes are printed.
    expect(out).toMatch(/^unhealthy +node-http +web1 /m);
    await rm(marker);
    for (let i = 0; i < 100 && !out.includes('recovered'); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    expect(await watching).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(
      new RegExp(
        `Z {2}healthy +node-http on web1 \\(release ${releaseId}\\) recovered: GET /health: HTTP/1\\.1 200`,
      ),
    );
    const { alerts } = await shown('node-http');
    expect(alerts.map((a) => a.state)).toEqual(['healthy', 'unhealthy']);
    const text = (await cli('apps', 'show', 'node-http')).stdout;
    expect(text).toContain('health, newest first:');
    expect(text).toMatch(/alerts, newest first:\n .*recovered: GET \/health/);
  });

  it('runs a command health check through the target policy', { timeout: 30_000 }, async () => {
    const deployed = await cli('deploy', await writeJobApp(join(base, 'job'), '1.0.0'), '--target', 'web1');
    expect(deployed.code).toBe(0);
    expect((await cli('monitor', '--once', '--app', 'fleet-job')).code).toBe(0);
    // The job's check is `test ! -f ../../shared/fail-verify-1.0.0`, relative to its release.
    await writeFile(join(root, 'fleet-job', 'shared', 'fail-verify-1.0.0'), '');
    const r = await cli('monitor', '--once', '--app', 'fleet-job', '--json');
    expect(r.code).toBe(1);
    const [check] = JSON.parse(r.stdout) as Array<{
      state: string;
      detail: string;
      alert: { state: string };
    }>;
    expect(check).toMatchObject({
      state: 'unhealthy',
      detail: 'command exited 1',
      alert: { state: 'unhealthy' },
    });
    const audit = (await cli('audit', 'ls', '--target', 'web1', '--json')).stdout;
    expect(audit).toContain('fail-verify-1.0.0');
    expect((await cli('audit', 'verify')).code).toBe(0);
  });

  it('refuses a bad interval with a usage error', async () => {
    const r = await cli('monitor', '--interval', 'soon');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --interval must be a positive number of seconds, got soon\n');
  });
});
