import { AutomatosError, isAutomatosError, type ErrorCode } from '../core/index.js';
import { createRedactor, redactCredentials } from '../security/index.js';
import type { Diagnoser, Planner, ProviderId } from './agent.js';
import type { AgentConfig, SettingSource } from './config.js';
import type { LlmField } from './config-schema.js';
import { createAnthropicModel } from './llm/anthropic.js';
import type { ChatModel, ModelSettings } from './llm/chat-model.js';
import { createLlmDiagnoser } from './llm/diagnoser.js';
import { createOpenAiModel } from './llm/openai.js';
import { createLlmPlanner } from './llm/planner.js';
import { createRulesDiagnoser, createRulesPlanner } from './rules/index.js';

/** The active agent settings as an operator may see them: never the key, only whether one is set. */
export interface AgentsDescription {
  provider: ProviderId;
  model: string | null;
  /** The endpoint requests go to (credentials in it redacted); null for `rules`, which calls nothing. */
  endpoint: string | null;
  apiKeySet: boolean;
  timeoutSeconds: number;
  sources: Record<LlmField, SettingSource>;
  configFile: string | null;
}

export type AgentsCheck =
  | { ok: true; skipped: boolean; latencyMs: number }
  | { ok: false; latencyMs: number; code: ErrorCode; message: string };

export interface Agents {
  planner: Planner;
  diagnoser: Diagnoser;
  describe(): AgentsDescription;
  /** One tiny request to the model, to prove it answers; `rules` has nothing to reach and passes. */
  check(signal?: AbortSignal): Promise<AgentsCheck>;
}

export interface CreateAgentsOptions {
  /** SDK retries; tests lower it to see a failure at once. */
  maxRetries?: number;
}

export function createAgents(config: AgentConfig, options: CreateAgentsOptions = {}): Agents {
  const model = config.provider === 'rules' ? null : createModel(config, options);
  const describe = (): AgentsDescription => ({
    provider: config.provider,
    model: config.model,
    endpoint: model?.endpoint ?? null,
    apiKeySet: config.apiKey !== null,
    timeoutSeconds: config.timeoutSeconds,
    sources: { ...config.sources },
    configFile: config.file,
  });
  if (model === null) {
    return {
      planner: createRulesPlanner(),
      diagnoser: createRulesDiagnoser(),
      describe,
      check: async () => ({ ok: true, skipped: true, latencyMs: 0 }),
    };
  }
  const redact = createRedactor(config.apiKey === null ? [] : [config.apiKey.reveal()]);
  return {
    planner: createLlmPlanner(model, redact),
    diagnoser: createLlmDiagnoser(model, redact),
    describe,
    check: (signal) => checkModel(model, signal),
  };
}

function createModel(config: AgentConfig, options: CreateAgentsOptions): ChatModel {
  if (config.model === null) {
    throw new AutomatosError('AUT_CONFIG_INVALID', `the ${config.provider} provider needs a model`);
  }
  const settings: ModelSettings = {
    model: config.model,
    baseUrl: config.baseUrl,
    apiKey: config.apiKey?.reveal() ?? null,
    timeoutMs: Math.round(config.timeoutSeconds * 1000),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  };
  if (config.provider === 'openai') return createOpenAiModel(settings);
  const { apiKey } = settings;
  if (apiKey === null) {
    throw new AutomatosError('AUT_CONFIG_INVALID', 'the anthropic provider needs an API key');
  }
  return createAnthropicModel({ ...settings, apiKey });
}

async function checkModel(model: ChatModel, signal?: AbortSignal): Promise<AgentsCheck> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await model.complete({
      system: 'You check that a connection works. Reply with the single word OK.',
      messages: [{ role: 'user', content: 'ping' }],
      ...(signal === undefined ? {} : { signal }),
    });
    return { ok: true, skipped: false, latencyMs: elapsed() };
  } catch (error) {
    const failure = isAutomatosError(error)
      ? error
      : new AutomatosError('AUT_LLM_UNAVAILABLE', redactCredentials(String(error)));
    return { ok: false, latencyMs: elapsed(), code: failure.code, message: failure.message };
  }
}
