import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { clientDetails, isAutomatosError } from '../core/index.js';
import type { ErrorCode } from '../core/index.js';
import { redactCredentials } from '../security/index.js';

/**
 * Codes a tool error carries: the AutomatosError codes, plus the two authorization outcomes that
 * only exist at the edge of the system (the engine never refuses a caller, the edge does).
 */
export type ToolErrorCode = ErrorCode | 'AUT_FORBIDDEN' | 'AUT_UNAUTHENTICATED';

export interface ToolErrorBody {
  code: ToolErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** A failure the tool reports as a value: the client sees `isError` and a code, never a stack trace. */
export class ToolFailure extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** Structured content for the client and a short text for models that only read text. */
export function ok(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** Strings inside details may quote commands or URLs: credentials are masked there too. */
function redactDetails(value: unknown): unknown {
  if (typeof value === 'string') return redactCredentials(value);
  if (Array.isArray(value)) return value.map(redactDetails);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDetails(v)]));
  }
  return value;
}

export function errorBody(error: unknown): ToolErrorBody {
  if (error instanceof ToolFailure) {
    return {
      code: error.code,
      message: redactCredentials(error.message),
      details: redactDetails(error.details) as Record<string, unknown>,
    };
  }
  if (isAutomatosError(error)) {
    return {
      code: error.code,
      message: redactCredentials(error.message),
      details: redactDetails(clientDetails(error.details)) as Record<string, unknown>,
    };
  }
  // A bug: its message only (no stack, no cause chain, which could quote anything).
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'AUT_INTERNAL', message: `internal error: ${redactCredentials(message)}`, details: {} };
}

export function toolError(error: unknown): CallToolResult {
  const body = errorBody(error);
  return {
    content: [{ type: 'text', text: `${body.code}: ${body.message}` }],
    structuredContent: { error: body },
    isError: true,
  };
}
