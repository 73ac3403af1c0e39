import { z } from 'zod';

// How a route declares what it answers. Each status names its body, so fastify-type-provider-zod
// both checks every reply against it and writes it into /openapi.json.

/** Every error, whichever route and status: `{error: {code, message, details}}`. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z
      .string()
      .regex(/^AUT_[A-Z_]+$/)
      .describe('a stable AUT_* code: what clients match on'),
    message: z.string().describe('for the operator: what went wrong and how to get past it'),
    details: z.record(z.string(), z.unknown()).describe('structured context (never a secret)'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

const ERROR_STATUSES = {
  400: 'Invalid input: a parameter, the query or the body breaks the schema (details.issues names each)',
  401: 'No valid API key: missing, malformed, unknown, expired or revoked (audited)',
  403: 'The key’s role, grants or target scope do not allow this (audited)',
  404: 'Not found',
  405: 'Method not allowed (the Allow header names the one that is)',
  409: 'Conflicts with the current state',
  413: 'The body is larger than the server’s limit (1 MiB by default)',
  414: 'A path parameter is too long',
  415: 'The body is not application/json',
  422: 'Understood but refused: an unusable source, manifest or plan, or a feature not built yet',
  426: 'Upgrade required',
  429: 'Rate limited: retry after the seconds in the Retry-After header',
  500: 'A bug: the server logged it; nothing more is sent',
  502: 'A target could not be reached, refused the connection or failed mid-way (SSH)',
  503: 'The database does not answer',
  504: 'A target did not answer in time',
} as const;
type ErrorStatus = keyof typeof ERROR_STATUSES;

/** Statuses of every route that takes an API key: none or a bad one, not allowed, too many, a bug, no database. */
export const KEYED = [401, 403, 429, 500, 503] as const;
/** Statuses of the routes that take no key. */
export const OPEN = [429, 500] as const;
/** Path parameters are validated (400), and the router refuses over-long ones (414). */
export const PARAMS = [400, 414] as const;
/** A JSON body: validated, size-limited, JSON only. */
export const BODY = [400, 413, 415] as const;
/** Routes that run commands on a target: SSH failures and timeouts. */
export const REMOTE = [502, 504] as const;

/** A response with a JSON body. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A text response that is not JSON (an event stream, metrics): described, sent as it is. */
export const text = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: z.string() } },
});

/** A response without a body (204, 101). */
export const empty = (description: string) => z.undefined().describe(description);

/** The error responses of the given statuses, each with the shared error body. */
export function errors<const S extends ErrorStatus>(
  ...statuses: readonly S[]
): Record<S, ReturnType<typeof json<typeof ErrorBodySchema>>> {
  const out: Partial<Record<S, ReturnType<typeof json<typeof ErrorBodySchema>>>> = {};
  for (const status of statuses) out[status] = json(ErrorBodySchema, ERROR_STATUSES[status]);
  return out as Record<S, ReturnType<typeof json<typeof ErrorBodySchema>>>;
}
