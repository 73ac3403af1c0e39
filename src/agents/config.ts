import { join } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { redactCredentials, Sensitive } from '../security/index.js';
import type { ProviderId } from './agent.js';
import { CONFIG_FILE, readLlmSection } from './config-file.js';
import { LLM_FIELDS, type LlmField, type LlmSection } from './config-schema.js';

/** The environment variable for each setting of the `llm:` section. */
export const LLM_ENV: Readonly<Record<LlmField, string>> = {
  provider: 'AUTOMATOS_LLM_PROVIDER',
  base_url: 'AUTOMATOS_LLM_BASE_URL',
  model: 'AUTOMATOS_LLM_MODEL',
  api_key: 'AUTOMATOS_LLM_API_KEY',
  timeout: 'AUTOMATOS_LLM_TIMEOUT',
};

/**
 * Two minutes: a hosted model writes a plan in well under a minute, and a call that is still silent
 * after two is more likely stuck than thinking. Slow local models on a CPU need it raised.
 */
export const DEFAULT_LLM_TIMEOUT_SECONDS = 120;

export type SettingSource = 'env' | 'file' | 'default';

/** Which provider plans and diagnoses, and how to reach it. The key only leaves through reveal(). */
export interface AgentConfig {
  provider: ProviderId;
  model: string | null;
  /** null: the provider's own endpoint (api.openai.com, api.anthropic.com). */
  baseUrl: string | null;
  apiKey: Sensitive<string> | null;
  timeoutSeconds: number;
  /** Where each setting came from, for `automatos doctor`. */
  sources: Record<LlmField, SettingSource>;
  /** The config file when one exists, whether or not it has an `llm:` section. */
  file: string | null;
}

/**
 * The agent settings: each one from its AUTOMATOS_LLM_* variable when set (an empty value counts as
 * unset), else from the `llm:` section of DATA_DIR/config.yaml, else its default. Env wins per
 * setting, so a deployment can override one value of a shared file without copying the rest.
 */
export function loadAgentConfig(env: NodeJS.ProcessEnv, dataDir: string): AgentConfig {
  const file = join(dataDir, CONFIG_FILE);
  const section = readLlmSection(file);
  const fromEnv = readEnv(env);
  const pick = <K extends LlmField>(field: K): [LlmSection[K], SettingSource] => {
    if (fromEnv[field] !== undefined) return [fromEnv[field], 'env'];
    if (section?.[field] !== undefined) return [section[field], 'file'];
    return [undefined, 'default'];
  };
  const [provider, providerFrom] = pick('provider');
  const [model, modelFrom] = pick('model');
  const [baseUrl, baseUrlFrom] = pick('base_url');
  const [apiKey, apiKeyFrom] = pick('api_key');
  const [timeout, timeoutFrom] = pick('timeout');
  const config: AgentConfig = {
    provider: provider ?? 'rules',
    model: model ?? null,
    baseUrl: baseUrl ?? null,
    apiKey: apiKey === undefined ? null : new Sensitive(apiKey),
    timeoutSeconds: timeout ?? DEFAULT_LLM_TIMEOUT_SECONDS,
    sources: {
      provider: providerFrom,
      model: modelFrom,
      base_url: baseUrlFrom,
      api_key: apiKeyFrom,
      timeout: timeoutFrom,
    },
    file: section === null ? null : file,
  };
  checkComplete(config, file);
  return config;
}

function readEnv(env: NodeJS.ProcessEnv): LlmSection {
  const out: LlmSection = {};
  for (const field of Object.keys(LLM_ENV) as LlmField[]) {
    const name = LLM_ENV[field];
    const text = env[name];
    if (text === undefined || text.trim() === '') continue;
    const input: unknown = field === 'timeout' && Number.isFinite(Number(text)) ? Number(text) : text;
    const parsed = LLM_FIELDS[field].safeParse(input);
    if (!parsed.success) {
      const got = field === 'api_key' ? '' : `, got ${redactCredentials(JSON.stringify(text))}`;
      throw new AutomatosError(
        'AUT_CONFIG_INVALID',
        `${name} ${parsed.error.issues[0]?.message ?? 'is not valid'}${got}`,
        { details: { setting: name } },
      );
    }
    Object.assign(out, { [field]: parsed.data });
  }
  return out;
}

/** A provider that cannot work as configured is refused here, not at the first deployment. */
function checkComplete(config: AgentConfig, file: string): void {
  if (config.provider === 'rules') return;
  const where = (field: LlmField) => `${LLM_ENV[field]} (or llm.${field} in ${file})`;
  const refuse = (message: string, setting: LlmField) => {
    throw new AutomatosError('AUT_CONFIG_INVALID', message, { details: { setting: LLM_ENV[setting] } });
  };
  if (config.model === null) {
    const example =
      config.provider === 'openai' ? 'gpt-4.1-mini, or llama3.1 on Ollama' : 'claude-sonnet-4-5';
    refuse(`the ${config.provider} provider needs a model: set ${where('model')}, e.g. ${example}`, 'model');
  }
  if (config.apiKey !== null) return;
  if (config.provider === 'anthropic') {
    refuse(`the anthropic provider needs an API key: set ${where('api_key')}`, 'api_key');
  }
  if (config.baseUrl === null) {
    refuse(
      `the openai provider needs an API key for api.openai.com: set ${where('api_key')}; ` +
        `for a local OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio) set ${where('base_url')} instead`,
      'api_key',
    );
  }
}
