// `--prompt` on plan and init with the offline rules planner: requirements, verdicts, a manifest
// that validates. Nothing here contacts a server.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let dataDir: string;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('AUTOMATOS_LLM_')),
);
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { env });
const FLASK = 'test/fixtures/repos/python-flask-gunicorn';

interface PlanJson {
  tier: number;
  prompt: string | null;
  module: { port: number; start_command: string };
  requirements: Array<{ text: string; status: 'met' | 'unmet'; how?: string; why?: string }> | null;
  planner: { provider: string; model: string | null } | null;
  steps: Array<{
    name: string;
    commands: Array<{ command: string; policy?: { decision: string; rule: string } }>;
  }>;
  review: { verdict: string; findings: Array<{ kind: string; text?: string }> };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'automatos-prompt-'));
});

describe('automatos plan --prompt', () => {
  it('prints the requirements, every command with its policy verdict, and the review', async () => {
    const r = await cli(
      'plan',
      FLASK,
      '--prompt',
      'Deploy the Flask app on port 5055 with a PostgreSQL database',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[tier 2: planned from the prompt by rules]');
    expect(r.stdout).toContain('  prompt    Deploy the Flask app on port 5055 with a PostgreSQL database');
    expect(r.stdout).toMatch(/requirements \(\d+ met, 1 unmet\):/);
    expect(r.stdout).toMatch(/ {2}met {4}on port 5055 +port: 5055/);
    expect(r.stdout).toMatch(/ {2}UNMET {2}a PostgreSQL database +Automatos deploys the application only/);
    expect(r.stdout).toContain('       policy: allow');
    expect(r.stdout).toContain('review: approval_required');
    expect(r.stdout).toContain('  unmet requirement: a PostgreSQL database');
    expect(r.stdout).toContain('Nothing was run: this is a plan.');
  });

  it('adds requirements, the planner, per-command policy and the review to --json', async () => {
    const r = await cli(
      'plan',
      FLASK,
      '--prompt',
      'Deploy the Flask app on port 5055 with logging',
      '--json',
    );
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan).toMatchObject({
      tier: 2,
      prompt: 'Deploy the Flask app on port 5055 with logging',
      module: { port: 5055 },
      planner: { provider: 'rules', model: null },
      review: { verdict: 'allowed', findings: [] },
    });
    expect(plan.requirements).toEqual(
      expect.arrayContaining([
        { text: 'on port 5055', status: 'met', how: expect.stringContaining('port: 5055') },
        { text: 'logging', status: 'met', how: expect.any(String) },
      ]),
    );
    const commands = plan.steps.flatMap((s) => s.commands);
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.every((c) => c.policy?.decision === 'allow')).toBe(true);
  });

  it('has no requirements without a prompt, and still reviews the plan', async () => {
    const r = await cli('plan', FLASK, '--json');
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan).toMatchObject({
      prompt: null,
      requirements: null,
      planner: null,
      review: { verdict: 'allowed' },
    });
  });

  it('refuses --prompt for a repository with a manifest, and an empty prompt', async () => {
    const tier1 = await cli('plan', 'examples/node-http', '--prompt', 'Deploy it');
    expect(tier1.code).toBe(2);
    expect(tier1.stderr).toMatch(/^error: --prompt is for repositories without a manifest/);
    const empty = await cli('plan', FLASK, '--prompt', '   ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--prompt is empty');
  });
});

describe('automatos init --prompt', () => {
  it('writes the planned manifest, which validates, with the requirements in its header', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'automatos-init-prompt-')), 'shop');
    await cp(FLASK, dir, { recursive: true });
    const r = await cli(
      'init',
      dir,
      '--prompt',
      'Deploy the Flask app on port 5056 with debug logging and Redis',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('port 5056');
    const text = await readFile(join(dir, 'ai-module.yaml'), 'utf8');
    expect(text).toContain('# ai-module.yaml — written by `automatos init --prompt`, planned by rules from:');
    expect(text).toMatch(/# {3}UNMET {2}Redis: /);
    expect(text).toContain('port: 5056');
    const valid = await cli('validate', dir, '--json');
    expect(valid.code).toBe(0);
    expect(
      (JSON.parse(valid.stdout) as { module: { monitoring: { logging_level: string } } }).module.monitoring
        .logging_level,
    ).toBe('DEBUG');
    // The written manifest is authoritative now: the repository is tier 1.
    const again = await cli('init', dir, '--prompt', 'Deploy it on port 5057');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; pass --force');
    const forced = await cli('init', dir, '--prompt', 'Deploy it on port 5057', '--force');
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'ai-module.yaml'), 'utf8')).toContain('port: 5057');
  });
});
