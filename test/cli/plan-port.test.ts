import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

interface PlanJson {
  module: { port: number; start_command: string };
  steps: Array<{
    name: string;
    commands: Array<{ command: string; stdin?: { kind: string; variables?: string[] } }>;
    probe?: { port: number; path?: string };
  }>;
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'automatos-plan-port-'));
});

const plan = async (...args: string[]): Promise<PlanJson> => {
  const r = await runCli(['--data-dir', dataDir, 'plan', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
};

describe('automatos plan --port', () => {
  it("replaces the manifest's port: module, PORT in the env file, health probe", async () => {
    const before = await plan('examples/python-http');
    const after = await plan('examples/python-http', '--port', '8123');
    expect(before.module.port).toBe(8000);
    expect(after.module.port).toBe(8123);
    expect(after.steps.find((s) => s.name === 'verify')?.probe?.port).toBe(8123);
    const envFile = after.steps
      .find((s) => s.name === 'prepare')
      ?.commands.find((c) => c.stdin?.kind === 'env_file');
    expect(envFile?.stdin?.variables).toContain('PORT');
  });

  it('moves a tier-2 app whose start command detection wrote with the port', async () => {
    const r = await plan('examples/static-site', '--port', '8080');
    expect(r.module.port).toBe(8080);
    expect(r.module.start_command).toBe('python3 -m http.server 8080 --bind 0.0.0.0');
    // http.server has no /health: a static site is healthy when its index page answers.
    expect(r.steps.find((s) => s.name === 'verify')?.probe).toMatchObject({ port: 8080, path: '/' });
  });

  it('prints the overridden port in the text plan', async () => {
    const r = await runCli(['--data-dir', dataDir, 'plan', 'examples/node-http', '--port', '3005']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}port {6}3005$/m);
    expect(r.stdout).toContain('GET http://127.0.0.1:3005/health');
  });

  it.each(['0', '65536', 'abc', '80.5', '0x50', '', '99999999'])(
    'refuses --port %j (exit 2, one line)',
    async (value) => {
      const r = await runCli(['--data-dir', dataDir, 'plan', 'examples/node-http', '--port', value]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`error: --port must be an integer from 1 to 65535, got "${value}"\n`);
    },
  );

  it('refuses a bad --port on deploy before anything runs', async () => {
    const r = await runCli([
      '--data-dir',
      dataDir,
      'deploy',
      'examples/node-http',
      '--target',
      'local',
      '--port',
      '70000',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --port must be an integer from 1 to 65535, got "70000"\n');
  });
});
