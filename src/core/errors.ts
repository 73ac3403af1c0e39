/**
 * Errors are values with stable codes. The code is what scripts and the API match on; the message is
 * written for the operator who reads it; `details` carries structured context (never a secret).
 */
export const ERROR_CODES = [
  'AUT_USAGE',
  'AUT_IO',
  'AUT_MANIFEST_NOT_FOUND',
  'AUT_MANIFEST_INVALID',
  'AUT_SOURCE_INVALID',
  'AUT_SOURCE_FETCH',
  'AUT_DETECT_NONE',
  'AUT_PLAN_UNSUPPORTED',
  'AUT_INIT_EXISTS',
  'AUT_INTERNAL',
  'AUT_POLICY_DENIED',
  'AUT_POLICY_INVALID',
  // A target that cannot confine user commands (no bubblewrap, namespaces refused) and whose
  // policy does not say `sandbox: off`.
  'AUT_SANDBOX_UNAVAILABLE',
  'AUT_DEPLOY_STEP_FAILED',
  'AUT_DEPLOY_UNHEALTHY',
  'AUT_SECRET_MISSING',
  'AUT_EXEC_SPAWN',
  'AUT_EXEC_INVALID',
  'AUT_EXEC_TIMEOUT',
  'AUT_EXEC_CANCELLED',
  'AUT_EXEC_UPLOAD',
  'AUT_EXEC_CONNECT',
  'AUT_EXEC_CLOSED',
  'AUT_SSH_REFUSED',
  'AUT_SSH_AUTH',
  'AUT_SSH_HOST_KEY_UNKNOWN',
  'AUT_SSH_HOST_KEY_CHANGED',
  'AUT_SSH_TIMEOUT',
  'AUT_SSH_CONNECTION',
  'AUT_SSH_CHANNEL',
  'AUT_INVALID_INPUT',
  'AUT_NOT_FOUND',
  'AUT_CONFLICT',
  'AUT_STORE',
  'AUT_MASTER_KEY_INVALID',
  'AUT_MASTER_KEY_INSECURE',
  'AUT_DECRYPT_FAILED',
  // The CLI as a client of `automatos serve`: the server refused with a code of its own (in
  // details.code), or could not be reached.
  'AUT_REMOTE',
  'AUT_REMOTE_UNREACHABLE',
  // Settings (DATA_DIR/config.yaml, AUTOMATOS_* variables) and the LLM providers of tier 2.
  'AUT_CONFIG_INVALID',
  'AUT_LLM_AUTH',
  'AUT_LLM_UNAVAILABLE',
  'AUT_LLM_TIMEOUT',
  'AUT_LLM_CANCELLED',
  'AUT_LLM_INVALID_OUTPUT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const isErrorCode = (text: string): text is ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(text);

export interface ErrorOptions {
  details?: Record<string, unknown>;
  /** Transient errors may succeed when retried (network, lock held); permanent ones will not. */
  transient?: boolean;
  cause?: unknown;
}

export class AutomatosError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly transient: boolean;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutomatosError';
    this.code = code;
    this.details = options.details ?? {};
    this.transient = options.transient ?? false;
  }
}

export function isAutomatosError(value: unknown): value is AutomatosError {
  return value instanceof AutomatosError;
}

/**
 * Exit codes of the CLI: 1 means "the input is invalid", 2 "you called me wrong or I could not read",
 * 3 "the command policy denied it".
 */
export function exitCodeFor(error: AutomatosError): number {
  switch (error.code) {
    case 'AUT_POLICY_DENIED':
      return 3;
    case 'AUT_POLICY_INVALID':
    case 'AUT_SANDBOX_UNAVAILABLE':
    case 'AUT_DEPLOY_STEP_FAILED':
    case 'AUT_DEPLOY_UNHEALTHY':
    case 'AUT_SECRET_MISSING':
    case 'AUT_MANIFEST_INVALID':
    case 'AUT_PLAN_UNSUPPORTED':
    case 'AUT_DETECT_NONE':
      return 1;
    default:
      return 2;
  }
}

/**
 * An error's details as a client may see them. `exchanges` (a failed LLM call's redacted prompts
 * and answers, kept with the workflow) stays inside the process: it is large, and it shows the
 * system prompt and repository summary to whoever made the request.
 */
export function clientDetails(details: Record<string, unknown>): Record<string, unknown> {
  if (!('exchanges' in details)) return details;
  return Object.fromEntries(Object.entries(details).filter(([key]) => key !== 'exchanges'));
}
