import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTarget } from './register-target.js';
import { runCli } from '../cli/run-cli.js';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';
import { stopAppsUnder } from './job-app.js';

// The bundled examples as they are (no copies, no edited manifests), deployed over a real sshd on
// loopback; `--port` puts each on a free port so the suite never fights over 8000.
let sshd: Sshd;
let base: string;
let dataDir: string;
let root: string;

const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args]);

beforeAll(async () => {
  sshd = await startSshd();
  base = await mkdtemp(join(tmpdir(), 'automatos-e2e-examples-'));
  dataDir = join(base, 'data');
  root = join(base, 'apps');
  const r = await registerTarget({ dataDir, name: 'web', sshd, root, keyDir: base });
  expect(r.stderr).toBe('');
}, 60_000);

afterAll(async () => {
  await stopAppsUnder(root);
  await sshd?.stop();
  await rm(base, { recursive: true, force: true });
});

describe('the bundled examples on a real SSH target', () => {
  it.each([
    ['python-http', 'tier 1, Python standard library', 'Hello from python-http (production)'],
    ['static-site', 'tier 2, detected as a static site', '<h1>Deployed by Automatos</h1>'],
  ])(
    'deploys examples/%s (%s) and it answers on its port',
    { timeout: 60_000 },
    async (example, _what, body) => {
      const port = await freePort();
      const r = await cli('deploy', `examples/${example}`, '--target', 'web', '--port', String(port));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`${example} release \\S+: succeeded`));
      expect(r.stdout).toContain(`at http://127.0.0.1:${port}/`);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(body);
      // The workflow recorded the module with the port it ran on: resume and rollback restart it there.
      const workflowId = /\(workflow (wf_\w+)\)/.exec(r.stdout)?.[1] ?? '';
      const shown = JSON.parse((await cli('workflows', 'show', workflowId, '--json')).stdout) as {
        plan: { module: { port: number } };
      };
      expect(shown.plan.module.port).toBe(port);
    },
  );
});
