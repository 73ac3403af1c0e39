import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const BROKEN = 'test/fixtures/manifests/broken';

describe('automatos validate', () => {
  it('accepts a valid manifest directory with exit 0', async () => {
    const r = await runCli(['validate', 'examples/crypto-api']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('examples/crypto-api/ai-module.yaml: valid — crypto-api 1.0.0, api, port 8000\n');
  });

  it('prints every error as FILE:LINE:COL and exits 1', async () => {
    const r = await runCli(['validate', `${BROKEN}/28-multiple-errors-ordered.yaml`]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[2]).toBe(
      `${BROKEN}/28-multiple-errors-ordered.yaml:2:10: error: version: must be a semantic version such as "1.0.0", got "one"`,
    );
    expect(lines.at(-1)).toBe(`${BROKEN}/28-multiple-errors-ordered.yaml: 7 errors`);
  });

  it('prints the JSON shape of the issue with --json', async () => {
    const r = await runCli(['validate', '--json', `${BROKEN}/09-string-for-integer.yaml`]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; errors: unknown[]; module: unknown };
    expect(out.valid).toBe(false);
    expect(out.module).toBeNull();
    expect(out.errors).toEqual([
      {
        path: 'health_check.interval',
        line: 8,
        column: 13,
        code: 'invalid_type',
        message: 'must be an integer between 1 and 86400, got "30s"',
      },
    ]);
  });

  it('returns the normalized module with defaults in --json', async () => {
    const r = await runCli(['validate', '--json', 'examples/node-http']);
    const out = JSON.parse(r.stdout) as { valid: boolean; module: Record<string, unknown> };
    expect(r.code).toBe(0);
    expect(out.valid).toBe(true);
    expect(out.module).toMatchObject({
      name: 'node-http',
      deployment_target: 'local',
      keep_releases: 5,
      secrets: [],
    });
  });

  it('exits 2 with one line when there is nothing to validate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-validate-'));
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*ai-module\.yaml/);
  });

  it('never prints a stack trace, even for binary garbage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-validate-'));
    await writeFile(join(dir, 'ai-module.yaml'), Buffer.from([0, 159, 146, 150, 255, 0, 1]));
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});
