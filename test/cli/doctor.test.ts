import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeServer } from '../agents/fake-http.js';
import { startFakeOpenAi } from '../agents/fake-openai.js';
import { runCli } from './run-cli.js';

const KEY = 'sk-doctor-test-KEY-0123456789abcdef';

async function doctor(args: string[], env: NodeJS.ProcessEnv = {}, config?: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'automatos-doctor-'));
  if (config !== undefined) await writeFile(join(dataDir, 'config.yaml'), config, { mode: 0o600 });
  return { dataDir, ...(await runCli(['--data-dir', dataDir, 'doctor', ...args], { env })) };
}

describe('automatos doctor', () => {
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('reports the offline rules provider by default, and the embedded store', async () => {
    const { code, stdout, dataDir } = await doctor([]);
    expect(code).toBe(0);
    expect(stdout).toContain(`data dir     ${dataDir}`);
    expect(stdout).toContain(`database     SQLite ${join(dataDir, 'automatos.db')} (not created yet)`);
    expect(stdout).toContain('master key   none yet (created on first use)');
    expect(stdout).toContain('  provider   rules (default): offline and deterministic');
  });

  it('prints JSON with --json, and creates nothing', async () => {
    const { code, stdout, dataDir } = await doctor(['--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      dataDir: { path: dataDir },
      database: { kind: 'sqlite', exists: false },
      masterKey: { source: 'none', problem: null },
      llm: { provider: 'rules', model: null, endpoint: null, apiKeySet: false, check: null },
      problems: [],
    });
  });

  it('shows an openai provider configured through the environment, never its key', async () => {
    const env = {
      AUTOMATOS_LLM_PROVIDER: 'openai',
      AUTOMATOS_LLM_MODEL: 'gpt-4.1-mini',
      AUTOMATOS_LLM_API_KEY: KEY,
    };
    const { code, stdout } = await doctor([], env);
    expect(code).toBe(0);
    expect(stdout).toContain('  provider   openai (AUTOMATOS_LLM_PROVIDER)');
    expect(stdout).toContain('  model      gpt-4.1-mini (AUTOMATOS_LLM_MODEL)');
    expect(stdout).toContain('  endpoint   https://api.openai.com/v1 (default)');
    expect(stdout).toContain('  api key    set (AUTOMATOS_LLM_API_KEY)');
    expect(stdout).toContain('  timeout    120s (default)');
    expect(stdout).not.toContain(KEY);
    const json = await doctor(['--json'], env);
    expect(json.stdout).not.toContain(KEY);
    expect(JSON.parse(json.stdout)).toMatchObject({ llm: { provider: 'openai', apiKeySet: true } });
  });

  it('with --check, sends one tiny request and says it was answered', async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
    fake.reply({ text: 'OK' });
    const env = {
      AUTOMATOS_LLM_PROVIDER: 'openai',
      AUTOMATOS_LLM_BASE_URL: fake.url,
      AUTOMATOS_LLM_MODEL: 'llama3.1',
      AUTOMATOS_LLM_API_KEY: KEY,
    };
    const { code, stdout } = await doctor(['--check'], env);
    expect(code).toBe(0);
    expect(stdout).toContain(`  endpoint   ${fake.url} (AUTOMATOS_LLM_BASE_URL)`);
    expect(stdout).toMatch(/ {2}check {6}answered in \d+ ms/);
    expect(fake.requests).toHaveLength(1);
  });

  it('with --check, exits 1 and explains a refused key without printing it', async () => {
    fake = await startFakeOpenAi({ apiKey: 'sk-the-server-wants-another-key-42' });
    const env = {
      AUTOMATOS_LLM_PROVIDER: 'openai',
      AUTOMATOS_LLM_BASE_URL: fake.url,
      AUTOMATOS_LLM_MODEL: 'llama3.1',
      AUTOMATOS_LLM_API_KEY: KEY,
    };
    const { code, stdout } = await doctor(['--check'], env);
    expect(code).toBe(1);
    expect(stdout).toContain('FAILED: the openai endpoint');
    expect(stdout).toContain('refused the API key (HTTP 401)');
    expect(stdout).not.toContain(KEY);
  });

  it('exits 1 on a bad config file, pointing at line and column, and still reports the rest', async () => {
    const { code, stdout, dataDir } = await doctor([], {}, 'llm:\n  provider: openai\n  timeout: soon\n');
    expect(code).toBe(1);
    expect(stdout).toContain(
      `${join(dataDir, 'config.yaml')}:3:12: llm.timeout: must be a number of seconds, got "soon"`,
    );
    expect(stdout).toContain('database     SQLite');
    const json = JSON.parse(
      (await runCli(['--data-dir', dataDir, 'doctor', '--json'], { env: {} })).stdout,
    ) as {
      llm: { error: { code: string } };
      problems: string[];
    };
    expect(json.llm.error.code).toBe('AUT_CONFIG_INVALID');
    expect(json.problems).toHaveLength(1);
  });
});
