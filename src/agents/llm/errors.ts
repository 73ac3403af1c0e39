/**
 * Provider failures as AutomatosErrors. Each SDK's error classes are sorted into a Failure by the
 * provider's own file; the messages are written here once, for both. A server's own words are kept
 * (they say which model is missing or which limit was hit) but pass through the redactor first and
 * are cut short; on an authentication failure they are dropped, since some servers echo part of the
 * key they refused.
 */
import { AutomatosError } from '../../core/index.js';
import type { Redactor } from '../../security/index.js';

export type Failure =
  | { kind: 'status'; status: number; message: string }
  | { kind: 'connection'; message: string }
  /** Anything else the SDK threw before or after the exchange. */
  | { kind: 'other'; message: string };

export interface ModelRef {
  provider: string;
  model: string;
  endpoint: string;
}

const MAX_SERVER_TEXT = 300;

const clip = (text: string): string =>
  text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT - 3)}...` : text;

export function llmFailure(ref: ModelRef, failure: Failure, redact: Redactor): AutomatosError {
  const details = { provider: ref.provider, model: ref.model, endpoint: ref.endpoint };
  const where = `the ${ref.provider} endpoint ${ref.endpoint}`;
  if (failure.kind === 'connection') {
    return new AutomatosError(
      'AUT_LLM_UNAVAILABLE',
      `cannot reach ${where}: ${clip(redact(failure.message))}`,
      {
        details,
        transient: true,
      },
    );
  }
  if (failure.kind === 'other') {
    return new AutomatosError('AUT_LLM_UNAVAILABLE', `${where} failed: ${clip(redact(failure.message))}`, {
      details,
    });
  }
  const { status } = failure;
  const said = failure.message === '' ? '' : `: ${clip(redact(failure.message))}`;
  if (status === 401 || status === 403) {
    return new AutomatosError(
      'AUT_LLM_AUTH',
      `${where} refused the API key (HTTP ${status}); check AUTOMATOS_LLM_API_KEY (or llm.api_key in config.yaml)`,
      { details: { ...details, status } },
    );
  }
  if (status === 404) {
    return new AutomatosError(
      'AUT_LLM_UNAVAILABLE',
      `${where} has no model "${ref.model}" or no such API (HTTP 404${said}); check AUTOMATOS_LLM_MODEL, ` +
        'and that AUTOMATOS_LLM_BASE_URL is the API root (for OpenAI-compatible servers it usually ends in /v1)',
      { details: { ...details, status } },
    );
  }
  const transient = status === 408 || status === 409 || status === 429 || status >= 500;
  const what = status === 429 ? 'is rate limiting requests' : transient ? 'failed' : 'refused the request';
  return new AutomatosError('AUT_LLM_UNAVAILABLE', `${where} ${what} (HTTP ${status}${said})`, {
    details: { ...details, status },
    transient,
  });
}

export function llmTimeout(ref: ModelRef, timeoutMs: number): AutomatosError {
  return new AutomatosError(
    'AUT_LLM_TIMEOUT',
    `the ${ref.provider} model "${ref.model}" at ${ref.endpoint} did not answer within ${timeoutMs / 1000}s; ` +
      'check that the endpoint is up, or raise AUTOMATOS_LLM_TIMEOUT (or llm.timeout in config.yaml) for a slow model',
    {
      details: { provider: ref.provider, model: ref.model, endpoint: ref.endpoint, timeoutMs },
      transient: true,
    },
  );
}

export function llmCancelled(ref: ModelRef): AutomatosError {
  return new AutomatosError('AUT_LLM_CANCELLED', `the request to the ${ref.provider} model was cancelled`, {
    details: { provider: ref.provider, model: ref.model },
  });
}

/** The innermost message of an error chain: `connect ECONNREFUSED 127.0.0.1:9`, not "fetch failed". */
export function rootMessage(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error && current.cause !== undefined; depth++) {
    current = current.cause;
    if (current instanceof Error && current.message !== '') message = current.message;
  }
  return message;
}
