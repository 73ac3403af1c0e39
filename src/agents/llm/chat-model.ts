import type { AgentUsage } from '../agent.js';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A JSON Schema the reply must match, for endpoints that can constrain their output to one. */
export interface ReplySchema {
  /** Letters, digits, `_` and `-` (OpenAI's rule for schema names). */
  name: string;
  schema: Record<string, unknown>;
}

export interface ChatRequest {
  system: string;
  messages: ChatMessage[];
  schema?: ReplySchema;
  signal?: AbortSignal;
}

export interface ChatReply {
  text: string;
  usage: AgentUsage | null;
}

/**
 * One chat model behind one provider's SDK: system and messages in, text and token usage out.
 * `complete` answers within the configured timeout or fails with an AutomatosError
 * (AUT_LLM_TIMEOUT, AUT_LLM_AUTH, AUT_LLM_UNAVAILABLE, AUT_LLM_CANCELLED) whose message never
 * holds the API key.
 */
export interface ChatModel {
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  /** The endpoint as shown to operators (credentials in the URL redacted). */
  readonly endpoint: string;
  complete(request: ChatRequest): Promise<ChatReply>;
}

/** What a model needs from the configuration, already checked by loadAgentConfig. */
export interface ModelSettings {
  model: string;
  baseUrl: string | null;
  apiKey: string | null;
  timeoutMs: number;
  /** How often the SDK retries a rate limit, a 5xx or a dropped connection within the timeout. */
  maxRetries?: number;
}

/**
 * SDK retries per call: 2, the SDKs' own default, kept on purpose. Rate limits (429), overloaded
 * servers (5xx, Anthropic's 529) and dropped connections are common with hosted models and pass
 * within seconds, and the SDKs honour Retry-After. A refused request (other 4xx) is not retried, and
 * the deadline covers the whole call, retries included, so retrying never stretches the timeout.
 * Timeouts themselves are not retried: the deadline has passed by then.
 */
export const DEFAULT_MAX_RETRIES = 2;
