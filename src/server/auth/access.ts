import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Orchestrator } from '../../engine/index.js';
import { authorize, type Action, type Principal } from '../../security/index.js';
import { HttpError } from '../errors.js';
import { presentedKey } from './credentials.js';
import { FailureAudit } from './failure-audit.js';
import type { RateLimits } from './rate-limits.js';

/**
 * What a route needs, declared next to it and enforced here: `public` routes take no key; the
 * others need a key whose role allows `action` and, for `targets`, a scope that holds each target.
 */
export type Access =
  | { public: true }
  | {
      action: Action;
      /** Targets the request acts on, read from the validated params/body/query. */
      targets?: (request: FastifyRequest) => readonly string[];
      /** Stricter per-key limit (a command runs on a host). */
      execute?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Audits failed authentications (API keys and webhook signatures), aggregated under a flood. */
    failedAuth: FailureAudit;
  }
}

/** Documentation is public: the API's shape is no secret, its data is. */
const PUBLIC_PREFIXES = ['/docs'];

/** last_used_at is written at most this often per key: not one database write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface AccessDeps {
  orch: Orchestrator;
  limits: RateLimits;
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new HttpError(401, 'AUT_UNAUTHENTICATED', 'an API key is required');
  return request.principal;
}

const routeOf = (request: FastifyRequest): string =>
  request.routeOptions.url ?? request.url.split('?')[0] ?? '';

/** Refuses (403, audited) unless the principal may do `action` on every one of `targets`. */
export async function requireAccess(
  orch: Orchestrator,
  request: FastifyRequest,
  action: Action,
  targets: readonly (string | undefined)[] = [undefined],
): Promise<void> {
  const principal = principalOf(request);
  for (const target of targets) {
    const decision = authorize(principal, action, target);
    if (decision.allowed) continue;
    await orch.audit.append({
      principal: principal.id,
      source: 'api',
      action: 'auth.denied',
      ...(target === undefined ? {} : { target }),
      details: {
        ip: request.ip,
        method: request.method,
        route: routeOf(request),
        want: action,
        reason: decision.reason,
      },
    });
    throw new HttpError(403, 'AUT_FORBIDDEN', decision.reason, {
      action,
      ...(target === undefined ? {} : { target }),
    });
  }
}

/** Authentication, rate limits and role checks for every route, before its body is parsed. */
export function registerAccess(app: FastifyInstance, deps: AccessDeps): void {
  const { orch, limits } = deps;
  const touched = new Map<string, number>();
  app.decorateRequest('principal', null);
  const failedAuth = new FailureAudit(
    (record) => orch.audit.append(record),
    limits.failureAudit,
    (error) => app.log.error({ err: error }, 'could not audit failed authentications'),
  );
  app.decorate('failedAuth', failedAuth);
  app.addHook('onClose', () => failedAuth.close());

  // Counted per address and per presented key id; over either limit the answer is 429, not 401.
  // Only a request whose key did not authenticate comes here: a valid key is never locked out.
  const fail = async (request: FastifyRequest, reason: string, keyId: string | null): Promise<never> => {
    const refusal = await limits.failed(request.ip, keyId);
    await failedAuth.record({
      ip: request.ip,
      keyId,
      principal: keyId === null ? 'anonymous' : `key:${keyId}`,
      source: 'api',
      reason,
      details: {
        method: request.method,
        route: routeOf(request),
        ...(refusal === null ? {} : { limited: true }),
      },
    });
    if (refusal !== null) throw refusal;
    throw new HttpError(
      401,
      'AUT_UNAUTHENTICATED',
      'a valid API key is required (Authorization: Bearer <key> or X-API-Key)',
      {
        reason,
      },
    );
  };

  app.addHook('onRequest', async (request) => {
    await limits.request(request.ip);
    const access = request.routeOptions.config.access;
    const path = request.url.split('?')[0] ?? '';
    if ((access !== undefined && 'public' in access) || PUBLIC_PREFIXES.some((p) => path.startsWith(p)))
      return;
    const key = presentedKey(request);
    if (key === undefined) return fail(request, 'missing', null);
    const result = await orch.apiKeys.authenticate(key);
    if (!result.ok) return fail(request, result.reason, result.keyId);
    request.principal = result.principal;
    await limits.authenticated(result.record.id);
    const now = Date.now();
    if ((touched.get(result.record.id) ?? 0) + TOUCH_EVERY_MS < now) {
      touched.set(result.record.id, now);
      await orch.apiKeys.touch(result.record.id);
    }
    // A route without a declaration (none should exist: a test checks) needs at least `read`.
    await requireAccess(orch, request, access?.action ?? 'read');
    if (access?.execute === true) await limits.execute(result.record.id);
  });

  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || 'public' in access || access.targets === undefined) return;
    const targets = access.targets(request);
    if (targets.length > 0) await requireAccess(orch, request, access.action, targets);
  });
}
