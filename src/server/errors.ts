import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { clientDetails, isAutomatosError, type ErrorCode } from '../core/index.js';
import type { ErrorBody } from './schemas/index.js';

/** Codes only the HTTP layer produces, next to the engine's `AUT_*` codes. */
export type ApiErrorCode =
  | ErrorCode
  | 'AUT_UNAUTHENTICATED'
  | 'AUT_FORBIDDEN'
  | 'AUT_RATE_LIMITED'
  | 'AUT_BODY_TOO_LARGE'
  | 'AUT_UNSUPPORTED_MEDIA_TYPE'
  | 'AUT_METHOD_NOT_ALLOWED';

/** An error that already knows its HTTP status (authentication, authorization, rate limits). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The engine's codes as HTTP statuses. Input the client can fix is 400/422, a refusal 403, a target
 * that cannot be reached 502/504, a busy database 503. Only genuine server faults are 500.
 */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'AUT_USAGE':
    case 'AUT_INVALID_INPUT':
    case 'AUT_EXEC_INVALID':
      return 400;
    case 'AUT_POLICY_DENIED':
      return 403;
    case 'AUT_NOT_FOUND':
      return 404;
    case 'AUT_CONFLICT':
    case 'AUT_INIT_EXISTS':
      return 409;
    case 'AUT_MANIFEST_NOT_FOUND':
    case 'AUT_MANIFEST_INVALID':
    case 'AUT_SOURCE_INVALID':
    case 'AUT_SOURCE_FETCH':
    case 'AUT_DETECT_NONE':
    case 'AUT_PLAN_UNSUPPORTED':
    case 'AUT_POLICY_INVALID':
    case 'AUT_SANDBOX_UNAVAILABLE':
    case 'AUT_SECRET_MISSING':
    case 'AUT_DEPLOY_STEP_FAILED':
    case 'AUT_DEPLOY_UNHEALTHY':
      return 422;
    case 'AUT_EXEC_TIMEOUT':
    case 'AUT_SSH_TIMEOUT':
    case 'AUT_LLM_TIMEOUT':
      return 504;
    case 'AUT_EXEC_SPAWN':
    case 'AUT_EXEC_CANCELLED':
    case 'AUT_EXEC_UPLOAD':
    case 'AUT_EXEC_CONNECT':
    case 'AUT_EXEC_CLOSED':
    case 'AUT_SSH_REFUSED':
    case 'AUT_SSH_AUTH':
    case 'AUT_SSH_HOST_KEY_UNKNOWN':
    case 'AUT_SSH_HOST_KEY_CHANGED':
    case 'AUT_SSH_CONNECTION':
    case 'AUT_SSH_CHANNEL':
    case 'AUT_REMOTE':
    case 'AUT_REMOTE_UNREACHABLE':
    case 'AUT_LLM_AUTH':
    case 'AUT_LLM_UNAVAILABLE':
    case 'AUT_LLM_CANCELLED':
    case 'AUT_LLM_INVALID_OUTPUT':
      return 502;
    // AUT_CONFIG_INVALID: the server's own LLM configuration is broken; nothing the client can change.
    case 'AUT_STORE':
    case 'AUT_CONFIG_INVALID':
      return 503;
    case 'AUT_IO':
    case 'AUT_INTERNAL':
    case 'AUT_MASTER_KEY_INVALID':
    case 'AUT_MASTER_KEY_INSECURE':
    case 'AUT_DECRYPT_FAILED':
      return 500;
  }
}

export type { ErrorBody };

const body = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

/** Fastify's own 4xx errors (body parsing, content type) under our codes. */
function fastifyError(error: FastifyError): { status: number; body: ErrorBody } | null {
  const status = error.statusCode ?? 500;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: body('AUT_BODY_TOO_LARGE', 'the request body is larger than the limit') };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      body: body('AUT_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'),
    };
  }
  if (status >= 400 && status < 500) {
    return { status, body: body('AUT_INVALID_INPUT', error.message) };
  }
  return null;
}

export interface ErrorHandlerOptions {
  /** Where unexpected errors go (they are bugs): never to the client. */
  onInternalError: (error: unknown, request: FastifyRequest) => void;
}

/** Every error leaves as `{error: {code, message, details}}`; stacks and causes never do. */
export function errorHandler(options: ErrorHandlerOptions) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    if (error instanceof HttpError) {
      void reply
        .status(error.status)
        .headers(error.headers)
        .send(body(error.code, error.message, clientDetails(error.details)));
      return;
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
        message: v.message ?? 'invalid',
      }));
      const first = issues[0];
      void reply.status(400).send(
        body('AUT_INVALID_INPUT', `invalid ${first?.path ?? 'request'}: ${first?.message ?? 'invalid'}`, {
          issues,
        }),
      );
      return;
    }
    if (isAutomatosError(error)) {
      const status = statusFor(error.code);
      if (status >= 500 && status !== 502 && status !== 503 && status !== 504) {
        options.onInternalError(error, request);
      }
      void reply.status(status).send(body(error.code, error.message, clientDetails(error.details)));
      return;
    }
    const known = typeof error === 'object' && error !== null ? fastifyError(error as FastifyError) : null;
    if (known !== null) {
      void reply.status(known.status).send(known.body);
      return;
    }
    options.onInternalError(error, request);
    void reply.status(500).send(body('AUT_INTERNAL', 'internal error (it is logged on the server)'));
  };
}

export const notFoundBody = (method: string, url: string): ErrorBody =>
  body('AUT_NOT_FOUND', `no route ${method} ${url.split('?')[0] ?? ''}`);
