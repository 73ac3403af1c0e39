import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { runCli } from './run-cli.js';

async function copyFixture(name: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'automatos-init-')), name);
  await cp(join('test/fixtures/repos', name), dir, { recursive: true });
  return dir;
}

describe('automatos init', () => {
  it('writes a commented manifest from detection that validates', async () => {
    const dir = await copyFixture('node-tooling-flask');
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(0);
    const text = await readFile(join(dir, 'ai-module.yaml'), 'utf8');
    expect(text).toMatch(/^# /m);
    const parsed = parseManifest(text, 'ai-module.yaml');
    expect(parsed.errors).toEqual([]);
    expect(parsed.value?.port).toBe(5000);
    expect(parsed.value?.start_command).toMatch(/flask|gunicorn|app\.py/);
    expect(r.stdout).toContain('wrote ');
    expect((await runCli(['validate', dir])).code).toBe(0);
  });

  it('refuses to overwrite without --force and overwrites with it', async () => {
    const dir = await copyFixture('node-express-api');
    await writeFile(join(dir, 'ai-module.yaml'), 'keep: me\n');
    const refused = await runCli(['init', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists; pass --force to overwrite it/);
    expect(await readFile(join(dir, 'ai-module.yaml'), 'utf8')).toBe('keep: me\n');
    const forced = await runCli(['init', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(parseManifest(await readFile(join(dir, 'ai-module.yaml'), 'utf8'), 'x').errors).toEqual([]);
  });

  it.each(['web_app', 'api', 'microservice', 'data_pipeline', 'ml_model', 'automation', 'infrastructure'])(
    'writes a valid %s template into an empty directory with --type',
    async (type) => {
      const dir = await mkdtemp(join(tmpdir(), 'automatos-init-empty-'));
      const r = await runCli(['init', dir, '--type', type]);
      expect(r.code).toBe(0);
      const parsed = parseManifest(await readFile(join(dir, 'ai-module.yaml'), 'utf8'), 'ai-module.yaml');
      expect(parsed.errors).toEqual([]);
      expect(parsed.warnings).toEqual([]);
      expect(parsed.value?.module_type).toBe(type);
    },
  );

  it('asks for --type when nothing is detected', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'automatos-init-empty-'));
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: no known stack found in .*; pick a template with --type \(web_app, api/,
    );
  });

  it('rejects an unknown --type as a usage error', async () => {
    const r = await runCli(['init', '.', '--type', 'website']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are web_app, api, microservice');
  });
});
