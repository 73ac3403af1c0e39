import { AutomatosError, isErrorCode } from '../../core/index.js';
import { KEY_ENV, URL_ENV } from './config.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function errorBody(text: string): ErrorBody | null {
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody> | null;
    const error = parsed?.error;
    return typeof error?.code === 'string' && typeof error.message === 'string'
      ? (parsed as ErrorBody)
      : null;
  } catch {
    return null;
  }
}

/**
 * A server's `{error: {code, message, details}}` as one CLI error: the server's code first, then its
 * message. An engine code keeps its own exit code (a policy denial exits 3, as embedded); codes
 * only the HTTP layer has (401, 403, 429 …) become AUT_REMOTE with the server's code in details.
 * 5xx and 429 are transient: a stream follower retries them.
 */
export function serverError(
  origin: string,
  status: number,
  statusText: string,
  text: string,
): AutomatosError {
  const body = errorBody(text);
  const transient = status >= 500 || status === 429;
  if (body === null) {
    return new AutomatosError(
      'AUT_REMOTE',
      `the server at ${origin} answered HTTP ${status} ${statusText} without an Automatos error body ` +
        `(is ${URL_ENV} the address of \`automatos serve\`?)`,
      { details: { status }, transient },
    );
  }
  const { code, message, details = {} } = body.error;
  // The server cannot know where the client keeps its key.
  const hint = code === 'AUT_UNAUTHENTICATED' ? ` — check ${KEY_ENV}` : '';
  return new AutomatosError(isErrorCode(code) ? code : 'AUT_REMOTE', `${code}: ${message}${hint}`, {
    details: { ...details, status, code },
    transient,
  });
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is `automatos serve` running there?)',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed',
};

/** A request that never got an answer: refused, reset, unresolvable, a TLS failure. */
export function unreachable(origin: string, error: unknown): AutomatosError {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  const reason = (typeof code === 'string' ? REASONS[code] : undefined) ?? text;
  return new AutomatosError(
    'AUT_REMOTE_UNREACHABLE',
    `cannot reach the server at ${origin} (${URL_ENV}): ${reason}`,
    {
      details: { origin, ...(typeof code === 'string' ? { cause: code } : {}) },
      transient: true,
      cause: error,
    },
  );
}
