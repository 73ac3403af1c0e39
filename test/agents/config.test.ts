import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LLM_TIMEOUT_SECONDS, loadAgentConfig } from '../../src/agents/index.js';
import { AutomatosError } from '../../src/core/index.js';

const KEY = 'sk-config-test-KEY-abcdef0123456789';

async function dataDirWith(config?: string, mode = 0o600): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'automatos-config-'));
  if (config !== undefined) {
    await writeFile(join(dir, 'config.yaml'), config);
    await chmod(join(dir, 'config.yaml'), mode);
  }
  return dir;
}

function refusal(work: () => unknown): AutomatosError {
  try {
    work();
  } catch (error) {
    if (error instanceof AutomatosError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('agent configuration (AUTOMATOS_LLM_* over DATA_DIR/config.yaml)', () => {
  it('defaults to the offline rules provider', async () => {
    const config = loadAgentConfig({}, await dataDirWith());
    expect(config).toMatchObject({
      provider: 'rules',
      model: null,
      baseUrl: null,
      apiKey: null,
      timeoutSeconds: DEFAULT_LLM_TIMEOUT_SECONDS,
      file: null,
    });
    expect(Object.values(config.sources)).toEqual(['default', 'default', 'default', 'default', 'default']);
  });

  it('reads the llm section of the file; an environment variable wins over it, setting by setting', async () => {
    const dir = await dataDirWith(
      'server:\n  port: 8080\nllm:\n  provider: openai\n  base_url: http://127.0.0.1:11434/v1\n  model: llama3.1\n  timeout: 300\n',
    );
    const config = loadAgentConfig({ AUTOMATOS_LLM_MODEL: 'qwen2.5-coder', AUTOMATOS_LLM_TIMEOUT: '' }, dir);
    expect(config).toMatchObject({
      provider: 'openai',
      model: 'qwen2.5-coder',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: null,
      timeoutSeconds: 300,
      file: join(dir, 'config.yaml'),
    });
    expect(config.sources).toEqual({
      provider: 'file',
      model: 'env',
      base_url: 'file',
      api_key: 'default',
      timeout: 'file',
    });
  });

  it('keeps the key out of every printed form of the configuration', async () => {
    const config = loadAgentConfig(
      {
        AUTOMATOS_LLM_PROVIDER: 'anthropic',
        AUTOMATOS_LLM_MODEL: 'claude-sonnet-4-5',
        AUTOMATOS_LLM_API_KEY: KEY,
      },
      await dataDirWith(),
    );
    expect(config.apiKey?.reveal()).toBe(KEY);
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(inspect(config, { depth: 5 })).not.toContain(KEY);
  });

  it('names the variable and the choices when AUTOMATOS_LLM_PROVIDER is wrong', async () => {
    const dir = await dataDirWith();
    const error = refusal(() => loadAgentConfig({ AUTOMATOS_LLM_PROVIDER: 'gpt' }, dir));
    expect(error.code).toBe('AUT_CONFIG_INVALID');
    expect(error.message).toBe('AUTOMATOS_LLM_PROVIDER must be one of rules, openai, anthropic, got "gpt"');
    expect(error.details).toEqual({ setting: 'AUTOMATOS_LLM_PROVIDER' });
  });

  it.each([
    ['AUTOMATOS_LLM_TIMEOUT', 'soon', 'AUTOMATOS_LLM_TIMEOUT must be a number of seconds, got "soon"'],
    ['AUTOMATOS_LLM_TIMEOUT', '-5', 'AUTOMATOS_LLM_TIMEOUT must be greater than 0 seconds, got "-5"'],
    ['AUTOMATOS_LLM_TIMEOUT', '7200', 'AUTOMATOS_LLM_TIMEOUT must be at most 3600 seconds, got "7200"'],
    [
      'AUTOMATOS_LLM_BASE_URL',
      'localhost:11434',
      'AUTOMATOS_LLM_BASE_URL must be an http:// or https:// URL',
    ],
    [
      'AUTOMATOS_LLM_BASE_URL',
      'https://me:hunter2-pass@llm.example.com/v1',
      'AUTOMATOS_LLM_BASE_URL must not hold a user or password; put the key in AUTOMATOS_LLM_API_KEY, got "https://me:[REDACTED]@llm.example.com/v1"',
    ],
  ])('refuses %s=%s with a message naming it', async (name, value, message) => {
    const dir = await dataDirWith();
    const error = refusal(() => loadAgentConfig({ [name]: value }, dir));
    expect(error.code).toBe('AUT_CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  it('requires a model, and a key where the hosted API needs one', async () => {
    const dir = await dataDirWith();
    expect(refusal(() => loadAgentConfig({ AUTOMATOS_LLM_PROVIDER: 'openai' }, dir)).message).toContain(
      'the openai provider needs a model: set AUTOMATOS_LLM_MODEL (or llm.model in',
    );
    const noKey = refusal(() =>
      loadAgentConfig({ AUTOMATOS_LLM_PROVIDER: 'openai', AUTOMATOS_LLM_MODEL: 'gpt-4.1-mini' }, dir),
    );
    expect(noKey.message).toContain('needs an API key for api.openai.com: set AUTOMATOS_LLM_API_KEY');
    expect(noKey.message).toContain('AUTOMATOS_LLM_BASE_URL');
    const local = loadAgentConfig(
      {
        AUTOMATOS_LLM_PROVIDER: 'openai',
        AUTOMATOS_LLM_MODEL: 'llama3.1',
        AUTOMATOS_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      },
      dir,
    );
    expect(local.apiKey).toBeNull();
    const claude = refusal(() =>
      loadAgentConfig({ AUTOMATOS_LLM_PROVIDER: 'anthropic', AUTOMATOS_LLM_MODEL: 'claude-sonnet-4-5' }, dir),
    );
    expect(claude.message).toContain('the anthropic provider needs an API key: set AUTOMATOS_LLM_API_KEY');
  });

  it('reports every problem of the file with file:line:col and the setting', async () => {
    const dir = await dataDirWith('llm:\n  provider: opneai\n  modle: llama3.1\n  timeout: soon\n');
    const file = join(dir, 'config.yaml');
    const error = refusal(() => loadAgentConfig({}, dir));
    expect(error.code).toBe('AUT_CONFIG_INVALID');
    expect(error.details['errors']).toEqual([
      `${file}:2:13: llm.provider: must be one of rules, openai, anthropic, got "opneai"`,
      `${file}:3:3: llm.modle: unknown setting "modle"; the llm section takes: provider, base_url, model, api_key, timeout`,
      `${file}:4:12: llm.timeout: must be a number of seconds, got "soon"`,
    ]);
    expect(error.message.split('\n')[0]).toBe(`${file} is not valid:`);
  });

  it('points at YAML syntax errors', async () => {
    const dir = await dataDirWith('llm:\n  provider: "openai\n  model: x\n');
    const error = refusal(() => loadAgentConfig({}, dir));
    expect(error.message).toMatch(/config\.yaml:\d+:\d+: \(root\): YAML syntax error/);
  });

  it('refuses an api_key in a file other users can read, and takes it from a 0600 file', async () => {
    const text = 'llm:\n  provider: anthropic\n  model: claude-sonnet-4-5\n  api_key: ' + KEY + '\n';
    const shared = await dataDirWith(text, 0o644);
    const error = refusal(() => loadAgentConfig({}, shared));
    expect(error.message).toContain(
      'config.yaml:4:12: llm.api_key: the file is readable by other users (mode 644)',
    );
    expect(error.message).not.toContain(KEY);
    const config = loadAgentConfig({}, await dataDirWith(text, 0o600));
    expect(config.apiKey?.reveal()).toBe(KEY);
    expect(config.sources.api_key).toBe('file');
  });

  it('never echoes a bad api_key value', async () => {
    const dir = await dataDirWith('llm:\n  api_key: 12345\n');
    const error = refusal(() => loadAgentConfig({}, dir));
    expect(error.message).toContain('llm.api_key: must be a string');
    expect(error.message).not.toContain('12345');
  });
});
