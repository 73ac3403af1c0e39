import Anthropic, { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { isAutomatosError } from '../../core/index.js';
import { createRedactor, redactCredentials } from '../../security/index.js';
import { DEFAULT_MAX_RETRIES, type ChatModel, type ModelSettings } from './chat-model.js';
import { withDeadline } from './deadline.js';
import { llmFailure, rootMessage, type Failure } from './errors.js';

const ANTHROPIC_API = 'https://api.anthropic.com';

/**
 * A plan is a few hundred to two thousand tokens; 4096 leaves room and is within every Claude
 * model's output limit, old ones included.
 */
const MAX_OUTPUT_TOKENS = 4096;

/**
 * Claude through the Messages API. No `output_config.format`: structured outputs accept only
 * objects closed with additionalProperties: false, so the manifest's open maps
 * (environment_variables, custom_config) would be forced empty. The schema goes in the prompt
 * instead, and zod validates the answer. The SDK's credential chain, environment variables,
 * OpenTelemetry spans (which could export prompt text) and logging are all switched off.
 */
export function createAnthropicModel(settings: ModelSettings & { apiKey: string }): ChatModel {
  const baseURL = settings.baseUrl ?? ANTHROPIC_API;
  const client = new Anthropic({
    apiKey: settings.apiKey,
    webhookKey: null,
    baseURL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    logLevel: 'off',
    openTelemetry: false,
  });
  const redact = createRedactor([settings.apiKey]);
  const ref = { provider: 'anthropic', model: settings.model, endpoint: redactCredentials(baseURL) };

  return {
    provider: 'anthropic',
    model: settings.model,
    endpoint: ref.endpoint,
    async complete(request) {
      try {
        const message = await withDeadline(ref, settings.timeoutMs, request.signal, (signal) =>
          client.messages.create(
            {
              model: settings.model,
              max_tokens: MAX_OUTPUT_TOKENS,
              system: request.system,
              messages: request.messages,
            },
            { signal },
          ),
        );
        const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
        const { usage } = message;
        // Cached prompt tokens are billed as input too, only at another rate.
        const cached = (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
        return {
          text,
          usage: { inputTokens: usage.input_tokens + cached, outputTokens: usage.output_tokens },
        };
      } catch (error) {
        if (isAutomatosError(error)) throw error;
        throw llmFailure(ref, classify(error), redact);
      }
    },
  };
}

function classify(error: unknown): Failure {
  if (error instanceof APIConnectionError) return { kind: 'connection', message: rootMessage(error) };
  if (error instanceof APIError && typeof error.status === 'number') {
    return { kind: 'status', status: error.status, message: error.message.replace(/^\d{3} /, '') };
  }
  return { kind: 'other', message: rootMessage(error) };
}
