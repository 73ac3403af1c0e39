// A loopback server speaking Anthropic's Messages wire format (POST /v1/messages with an
// anthropic-version header, content blocks, usage, `{type: "error", error}` bodies), so the real
// `@anthropic-ai/sdk` client runs against it.
import {
  header,
  startFakeServer,
  type FakeServer,
  type JsonAnswer,
  type ScriptedReply,
} from './fake-http.js';

export interface FakeAnthropicOptions {
  /** When set, requests must carry it as `x-api-key` or `Authorization: Bearer`, else 401. */
  apiKey?: string;
  /** Answers requests the script has no reply for; default: a 500 saying so. */
  respond?: (body: MessagesRequest) => ScriptedReply;
}

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: string; content: string }[];
}

const TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const error = (status: number, message: string, headers: Record<string, string> = {}): JsonAnswer => ({
  status,
  headers: { 'request-id': 'req_fake_error', ...headers },
  body: {
    type: 'error',
    error: { type: TYPES[status] ?? 'api_error', message },
    request_id: 'req_fake_error',
  },
});

export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  let counter = 0;
  // The SDK appends /v1/messages to the base URL itself, so the base URL is the bare origin.
  return startFakeServer('', (request, scripted) => {
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      return error(404, `Not found: ${request.method} ${request.path}`);
    }
    if (header(request, 'anthropic-version') === undefined) {
      return error(400, 'anthropic-version: header is required');
    }
    if (options.apiKey !== undefined) {
      const given =
        header(request, 'x-api-key') ?? (header(request, 'authorization') ?? '').replace(/^Bearer /, '');
      if (given !== options.apiKey) return error(401, 'invalid x-api-key');
    }
    const body = request.body as MessagesRequest | undefined;
    if (body === undefined || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      return error(400, 'model: Field required');
    }
    if (typeof body.max_tokens !== 'number') return error(400, 'max_tokens: Field required');
    const reply = scripted() ?? options.respond?.(body);
    if (reply === undefined) return error(500, 'the fake server has no scripted reply left');
    if ('hang' in reply) return 'hang';
    if ('status' in reply) return error(reply.status, reply.message, reply.headers);
    const usage = reply.usage ?? { input: 10, output: 5 };
    counter += 1;
    return {
      status: 200,
      headers: { 'request-id': `req_${counter}` },
      body: {
        id: `msg_${counter}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'text', text: reply.text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          output_tokens: usage.output,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    };
  });
}
