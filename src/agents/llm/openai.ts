import OpenAI, { APIConnectionError, APIError, BadRequestError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { isAutomatosError } from '../../core/index.js';
import { createRedactor, redactCredentials } from '../../security/index.js';
import {
  DEFAULT_MAX_RETRIES,
  type ChatModel,
  type ChatReply,
  type ChatRequest,
  type ModelSettings,
} from './chat-model.js';
import { withDeadline } from './deadline.js';
import { llmFailure, rootMessage, type Failure } from './errors.js';

const OPENAI_API = 'https://api.openai.com/v1';

/**
 * Any endpoint that speaks OpenAI's chat completions: OpenAI itself, Ollama, vLLM, the llama.cpp
 * server, LM Studio. Every client option that the SDK would otherwise take from OPENAI_* variables
 * is set here, so what runs is what `automatos doctor` shows; its logging is off, since it would
 * print requests to our stdout.
 */
export function createOpenAiModel(settings: ModelSettings): ChatModel {
  const baseURL = settings.baseUrl ?? OPENAI_API;
  const client = new OpenAI({
    // The SDK insists on a key; with none configured the header is removed below instead.
    apiKey: settings.apiKey ?? 'none',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    logLevel: 'off',
    ...(settings.apiKey === null ? { defaultHeaders: { Authorization: null } } : {}),
  });
  const redact = createRedactor(settings.apiKey === null ? [] : [settings.apiKey]);
  const ref = { provider: 'openai', model: settings.model, endpoint: redactCredentials(baseURL) };
  // Servers that do not know response_format json_schema say so with a 400; from then on this
  // model is asked with the schema in the prompt alone.
  let schemaSupported = true;

  const send = async (request: ChatRequest, signal: AbortSignal): Promise<ChatReply> => {
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: settings.model,
      messages: [{ role: 'system', content: request.system }, ...request.messages],
    };
    if (request.schema !== undefined && schemaSupported) {
      // strict: false, because strict mode allows no open maps (environment_variables) and no
      // optional fields; the schema still steers the model, and zod has the last word anyway.
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: request.schema.name, schema: request.schema.schema, strict: false },
      };
    }
    try {
      const completion = await client.chat.completions.create(body, { signal });
      const usage = completion.usage;
      return {
        text: completion.choices[0]?.message.content ?? '',
        usage:
          usage === undefined
            ? null
            : { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens },
      };
    } catch (error) {
      if (body.response_format !== undefined && rejectsSchema(error)) {
        schemaSupported = false;
        return send(request, signal);
      }
      throw error;
    }
  };

  return {
    provider: 'openai',
    model: settings.model,
    endpoint: ref.endpoint,
    async complete(request) {
      try {
        return await withDeadline(ref, settings.timeoutMs, request.signal, (signal) => send(request, signal));
      } catch (error) {
        if (isAutomatosError(error)) throw error;
        throw llmFailure(ref, classify(error), redact);
      }
    },
  };
}

function rejectsSchema(error: unknown): boolean {
  return error instanceof BadRequestError && /response_format|json_schema/i.test(error.message);
}

function classify(error: unknown): Failure {
  if (error instanceof APIConnectionError) return { kind: 'connection', message: rootMessage(error) };
  if (error instanceof APIError && typeof error.status === 'number') {
    return { kind: 'status', status: error.status, message: error.message.replace(/^\d{3} /, '') };
  }
  return { kind: 'other', message: rootMessage(error) };
}
