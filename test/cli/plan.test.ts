import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const EXAMPLES = ['node-http', 'python-http', 'static-site', 'crypto-api', 'crypto-dashboard'];
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'automatos-plan-data-'));
});

/** Release ids, commits and machine paths vary; the commands around them must not. */
function scrub(text: string): string {
  return (
    text
      .replaceAll(resolve('.'), '<repo>')
      // The data dir is masked in every sandbox, so the launcher names it.
      .replaceAll(dataDir, '<data>')
      .replace(/\/(opt\/automatos|root\/\.automatos|home\/[^/]+\/\.automatos)\/apps/g, '<root>')
      .replace(/\d{8}T\d{6}\.\d{3}Z(-[0-9a-f]{7})?/g, '<release>')
      .replace(/commit [0-9a-f]{12}/g, 'commit <sha>')
      .replace(/"commit": "[0-9a-f]{40}"/g, '"commit": "<sha>"')
  );
}

describe('automatos plan', () => {
  it.each(EXAMPLES)('plans examples/%s without contacting a server', async (example) => {
    const r = await runCli(['--data-dir', dataDir, 'plan', `examples/${example}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing was run: this is a plan. No server was contacted.');
    expect(scrub(r.stdout)).toMatchSnapshot();
  });

  it('prints {tier, module, steps, detection} with --json', async () => {
    const r = await runCli(['--data-dir', dataDir, 'plan', 'examples/crypto-api', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      tier: number;
      module: { name: string; secrets: string[] };
      steps: Array<{ name: string; commands: Array<{ command: string }> }>;
      detection: { tier: number };
    };
    expect(plan.tier).toBe(1);
    expect(plan.detection.tier).toBe(1);
    expect(plan.module.secrets).toEqual(['CRYPTO_API_KEY']);
    expect(plan.steps.map((s) => s.name)).toEqual([
      'upload',
      'prepare',
      'build',
      'test',
      'release',
      'verify',
    ]);
    expect(plan.steps[2]?.commands[0]?.command).toContain(
      'python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt',
    );
  });

  it('plans a tier-2 repository from detection', async () => {
    const r = await runCli([
      '--data-dir',
      dataDir,
      'plan',
      'test/fixtures/repos/node-tooling-flask',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      tier: number;
      module: { port: number };
      detection: { chosen: { language: string } };
    };
    expect(plan.tier).toBe(2);
    expect(plan.detection.chosen.language).toBe('python');
    expect(plan.module.port).toBe(5000);
  });

  it('clones a git URL at a ref into the data dir, plans it, and removes the clone', async () => {
    const base = await mkdtemp(join(tmpdir(), 'automatos-plan-git-'));
    delete process.env['EDITOR'];
    await simpleGit().init([base, '--initial-branch=main']);
    const repo = simpleGit(base).addConfig('user.email', 't@example.com').addConfig('user.name', 'T');
    await writeFile(join(base, 'index.html'), '<h1>hi</h1>\n');
    await repo.add('.').commit('site');
    await repo.addTag('v2');
    const sha = (await repo.revparse(['HEAD'])).trim();
    const gitData = await mkdtemp(join(tmpdir(), 'automatos-plan-gitdata-'));
    const r = await runCli(['--data-dir', gitData, 'plan', `file://${base}`, '--ref', 'v2', '--json']);
    expect(r.stderr).toBe('');
    const plan = JSON.parse(r.stdout) as {
      source: { kind: string; commit: string; ref: string };
      release_id: string;
    };
    expect(plan.source).toMatchObject({ kind: 'git', commit: sha, ref: 'v2' });
    expect(plan.release_id.endsWith(sha.slice(0, 7))).toBe(true);
    expect(await readdir(join(gitData, 'workspaces'))).toEqual([]);
  });

  it('refuses a dangerous git URL before running git', async () => {
    const r = await runCli(['--data-dir', dataDir, 'plan', 'ext::sh -c touch% /tmp/pwned']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: refusing git URL ext::sh -c touch% /tmp/pwned: git remote-helper transports such as ext:: and fd:: can run arbitrary commands\n',
    );
  });

  it('says clearly that a deployment target is not supported yet (exit 1)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-plan-k8s-'));
    await writeFile(
      join(dir, 'ai-module.yaml'),
      'name: k\nversion: 1.0.0\ndescription: d\nmodule_type: api\nbuild_command: make\nstart_command: ./k\ndeployment_target: kubernetes\n',
    );
    const r = await runCli(['--data-dir', dataDir, 'plan', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: deployment_target kubernetes is not supported yet; supported: local, docker/,
    );
  });

  it('reports an invalid manifest with positions (exit 1)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-plan-bad-'));
    await writeFile(join(dir, 'ai-module.yaml'), 'name: Bad_Name\nversion: 1.0.0\n');
    const r = await runCli(['--data-dir', dataDir, 'plan', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ai-module.yaml:1:7: error: name: must be DNS-label-safe');
  });

  it('refuses an unknown target (exit 2)', async () => {
    const r = await runCli(['--data-dir', dataDir, 'plan', 'examples/node-http', '--target', 'web9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: No target named "web9". List them with `automatos targets ls`.\n');
  });
});

describe('automatos detect and schema', () => {
  it('prints ranked candidates as JSON', async () => {
    const r = await runCli(['detect', 'test/fixtures/repos/node-tooling-flask', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      tier: number;
      candidates: Array<{ language: string }>;
      chosen: { framework: string };
    };
    expect(out.tier).toBe(2);
    expect(out.chosen.framework).toBe('flask');
    expect(out.candidates.map((c) => c.language)).toEqual(['python', 'node']);
  });

  it('shows evidence in the readable form', async () => {
    const r = await runCli(['detect', 'test/fixtures/repos/node-tooling-flask']);
    expect(r.stdout).toContain('tier 2');
    expect(r.stdout).toMatch(/1\. python\/flask/);
    expect(r.stdout).toMatch(/2\. node/);
    expect(r.stdout).toContain('evidence');
  });

  it('prints the JSON Schema that ships in schema/', async () => {
    const r = await runCli(['schema']);
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(await readFile('schema/ai-module.schema.json', 'utf8')));
  });
});
