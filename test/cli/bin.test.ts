import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The packaged binary (bin/automatos.js -> dist/), as a user runs it; `npm test` builds dist first.
async function automatos(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/automatos.js', ...args], {
      env: { ...process.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/automatos.js', () => {
  it('prints the version from package.json', async () => {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
    expect(await automatos('--version')).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('lists every command in --help', async () => {
    const r = await automatos('--help');
    expect(r.code).toBe(0);
    for (const command of ['validate', 'init', 'detect', 'plan', 'schema'])
      expect(r.stdout).toContain(command);
  });

  it('exits 2 on an unknown command and 1 on an invalid manifest, with no stack trace', async () => {
    const unknown = await automatos('deplo');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'deplo'");
    const invalid = await automatos('validate', 'test/fixtures/manifests/broken/21-bad-module-type.yaml');
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('did you mean "web_app"?');
    expect(invalid.stdout + invalid.stderr).not.toMatch(/\n\s+at /);
  });

  it('plans the bundled example end to end', async () => {
    const r = await automatos('plan', 'examples/node-http');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ set -a && . ');
  });
});
