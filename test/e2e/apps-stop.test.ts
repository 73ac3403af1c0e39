import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTarget } from './register-target.js';
import { runCli } from '../cli/run-cli.js';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';
import { stopAppsUnder } from './job-app.js';

// `apps stop` / `apps start` on a real sshd target: the runtime's own commands, through the guard.
let sshd: Sshd;
let base: string;
let dataDir: string;
let root: string;
let port: number;
let releaseId: string;

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);
const answers = async (): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (res) => res.status === 200,
    () => false,
  );

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-e2e-apps-'));
  dataDir = join(base, 'data');
  root = join(base, 'apps');
  const added = await registerTarget({ dataDir, name: 'web', sshd, root, keyDir: base });
  expect(added.stderr).toBe('');
  port = await freePort();
  const r = await cli('deploy', 'examples/node-http', '--target', 'web', '--port', String(port));
  expect(r.code, r.stderr).toBe(0);
  releaseId = /node-http release (\S+): succeeded/.exec(r.stdout)?.[1] ?? '';
}, 60_000);

afterAll(async () => {
  await stopAppsUnder(root);
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('automatos apps stop / start on a real SSH target', () => {
  it('stops the serving release; the store keeps it recorded as the current one', async () => {
    expect(await answers()).toBe(true);
    const r = await cli('apps', 'stop', 'node-http', '--target', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `node-http on web: stopped release ${releaseId}; \`automatos apps start node-http --target web\` starts it again\n`,
    );
    expect(await answers()).toBe(false);
    expect(existsSync(join(root, 'node-http', 'run', 'node-http.pid'))).toBe(false);
    const shown = JSON.parse((await cli('apps', 'show', 'node-http', '--json')).stdout) as {
      releases: Array<{ releaseId: string; status: string }>;
    };
    expect(shown.releases).toEqual([expect.objectContaining({ releaseId, status: 'active' })]);
  });

  it('is audited: the action, then every command the guard let through', async () => {
    const audit = JSON.parse((await cli('audit', 'ls', '--target', 'web', '--json')).stdout) as Array<{
      action: string;
      command: string | null;
      details: Record<string, unknown> | null;
    }>;
    const at = audit.findIndex((e) => e.action === 'app.stop');
    expect(audit[at]?.details).toMatchObject({ app: 'node-http', releaseId, runtime: 'process' });
    expect(audit.slice(at).some((e) => e.action === 'exec' && e.command?.includes('node-http.pid'))).toBe(
      true,
    );
    expect((await cli('audit', 'verify')).code).toBe(0);
  });

  it('stopping a stopped app is a no-op', async () => {
    expect((await cli('apps', 'stop', 'node-http', '--target', 'web')).code).toBe(0);
  });

  it('monitoring skips a release stopped on purpose: no unhealthy result, no alert', async () => {
    const r = await cli('monitor', '--once', '--app', 'node-http');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('skipped');
    expect(r.stdout).toContain('stopped with `automatos apps stop`');
    const shown = JSON.parse((await cli('apps', 'show', 'node-http', '--json')).stdout) as {
      alerts: unknown[];
    };
    expect(shown.alerts).toEqual([]);
  });

  it('starts it again and verifies its health', { timeout: 30_000 }, async () => {
    const r = await cli('apps', 'start', 'node-http', '--target', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `node-http on web: started release ${releaseId}, healthy at http://127.0.0.1:${port}/\n`,
    );
    expect(r.stderr).toMatch(/\[web\] verify\s+succeeded/);
    expect(await answers()).toBe(true);
    const monitored = await cli('monitor', '--once', '--app', 'node-http');
    expect(monitored.code, monitored.stdout).toBe(0);
    expect(monitored.stdout).toContain('healthy');
    expect(monitored.stdout).not.toContain('skipped');
  });

  it('says clearly when there is nothing to stop (exit 2, one line)', async () => {
    const r = await cli('apps', 'stop', 'nope', '--target', 'web');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: nope has no release serving on web; `automatos apps show nope` lists what is recorded\n',
    );
  });
});
