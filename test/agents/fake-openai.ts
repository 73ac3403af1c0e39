// A loopback server speaking OpenAI's chat completions wire format (POST /v1/chat/completions),
// as OpenAI, Ollama, vLLM and the llama.cpp server do, so the real `openai` client runs against it.
import {
  header,
  startFakeServer,
  type FakeServer,
  type JsonAnswer,
  type ScriptedReply,
} from './fake-http.js';

export interface FakeOpenAiOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401 as OpenAI answers it. */
  apiKey?: string;
  /** Answer response_format json_schema with a 400, as servers that do not support it do. */
  rejectResponseFormat?: boolean;
  /** Answers requests the script has no reply for; default: a 500 saying so. */
  respond?: (body: ChatCompletionRequest) => ScriptedReply;
}

export interface ChatCompletionRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
}

const error = (status: number, message: string, type: string, code: string | null = null): JsonAnswer => ({
  status,
  body: { error: { message, type, param: null, code } },
});

/** OpenAI shows a refused key with its middle starred out. */
const masked = (key: string): string =>
  `${key.slice(0, 3)}${'*'.repeat(Math.max(key.length - 7, 0))}${key.slice(-4)}`;

export function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
  let counter = 0;
  return startFakeServer('/v1', (request, scripted) => {
    if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
      return error(404, `Invalid URL (${request.method} ${request.path})`, 'invalid_request_error');
    }
    if (options.apiKey !== undefined) {
      const given = (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
      if (given !== options.apiKey) {
        return error(
          401,
          `Incorrect API key provided: ${masked(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          'invalid_api_key',
        );
      }
    }
    const body = request.body as ChatCompletionRequest | undefined;
    if (body === undefined || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return error(400, "'model' and 'messages' are required properties", 'invalid_request_error');
    }
    if (options.rejectResponseFormat === true && body.response_format?.type === 'json_schema') {
      return error(
        400,
        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
        'invalid_request_error',
        'unsupported_parameter',
      );
    }
    const reply = scripted() ?? options.respond?.(body);
    if (reply === undefined) return error(500, 'the fake server has no scripted reply left', 'server_error');
    if ('hang' in reply) return 'hang';
    if ('status' in reply) {
      return {
        ...error(reply.status, reply.message, 'server_error'),
        ...(reply.headers && { headers: reply.headers }),
      };
    }
    const usage = reply.usage ?? { input: 10, output: 5 };
    counter += 1;
    return {
      status: 200,
      headers: { 'x-request-id': `req_${counter}` },
      body: {
        id: `chatcmpl-${counter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.text, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
        system_fingerprint: null,
      },
    };
  });
}
