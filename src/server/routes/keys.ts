import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOCAL_TARGET } from '../../engine/index.js';
import { ACTIONS, parseExpiry, RoleSchema } from '../../security/index.js';
import type { ApiKeyRecord } from '../../store/index.js';
import { principalOf } from '../auth/access.js';
import { actorOf, NameSchema, type ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import {
  ApiKeyListSchema,
  ApiKeyViewSchema,
  BODY,
  CreatedKeySchema,
  errors,
  json,
  KEYED,
  PARAMS,
  type ApiKeyView,
} from '../schemas/index.js';

const CreateKey = z
  .object({
    name: z.string().min(1).max(100).optional(),
    role: RoleSchema,
    targets: z
      .array(z.union([NameSchema, z.literal(LOCAL_TARGET)]))
      .max(256)
      .optional(),
    grants: z.array(z.enum(ACTIONS)).max(ACTIONS.length).optional(),
    expires: z.string().min(1).max(40).optional().describe('30d, 12h, 90m or an ISO date'),
  })
  .strict();
const KeyParams = z
  .object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'must be a key id (16 hex digits)') })
  .strict();

/** Everything about a key except the key: its digest stays in the database too. */
export const keyJson = (k: ApiKeyRecord): ApiKeyView => ({
  id: k.id,
  name: k.name,
  role: k.role,
  targets: k.targets,
  grants: k.grants,
  created_at: k.createdAt,
  expires_at: k.expiresAt,
  revoked_at: k.revokedAt,
  last_used_at: k.lastUsedAt,
});

/**
 * A key scoped to some targets could otherwise mint an unscoped one: key administration needs a
 * key that is itself unscoped.
 */
async function requireUnscoped(ctx: ServerContext, request: FastifyRequest): Promise<void> {
  const principal = principalOf(request);
  if (principal.targets !== null) {
    await ctx.orch.audit.append({
      principal: principal.id,
      source: 'api',
      action: 'auth.denied',
      details: {
        ip: request.ip,
        method: request.method,
        route: request.routeOptions.url,
        want: 'keys.admin',
        reason: 'scoped key',
      },
    });
    throw new HttpError(
      403,
      'AUT_FORBIDDEN',
      'API keys are administered only with a key scoped to every target',
    );
  }
}

export function keyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = { access: { action: 'keys.admin' as const } };
  app.addHook('preHandler', async (request) => {
    const a = request.routeOptions.config.access;
    if (a !== undefined && 'action' in a && a.action === 'keys.admin') await requireUnscoped(ctx, request);
  });

  r.get(
    '/api/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'API keys (never the keys themselves)',
        response: { 200: json(ApiKeyListSchema, 'The keys'), ...errors(...KEYED) },
      },
      config: access,
    },
    async () => ({
      items: (await ctx.orch.apiKeys.list()).map(keyJson),
    }),
  );

  r.post(
    '/api/v1/keys',
    {
      schema: {
        body: CreateKey,
        tags: ['keys'],
        summary: 'Create a key; it is in this response only',
        response: { 201: json(CreatedKeySchema, 'Created'), ...errors(...KEYED, ...BODY) },
      },
      config: access,
    },
    async (request, reply) => {
      const b = request.body;
      const created = await ctx.orch.apiKeys.create({
        role: b.role,
        ...(b.name === undefined ? {} : { name: b.name }),
        targets: b.targets ?? null,
        grants: b.grants ?? [],
        expiresAt: b.expires === undefined ? null : parseExpiry(b.expires),
      });
      await ctx.orch.audit.append({
        ...actorOf(request),
        action: 'key.create',
        details: {
          id: created.record.id,
          role: created.record.role,
          targets: created.record.targets,
          grants: created.record.grants,
        },
      });
      return reply.status(201).send({ ...keyJson(created.record), key: created.key.reveal() });
    },
  );

  r.delete(
    '/api/v1/keys/:id',
    {
      schema: {
        params: KeyParams,
        tags: ['keys'],
        summary: 'Revoke a key',
        response: { 200: json(ApiKeyViewSchema, 'Revoked'), ...errors(...KEYED, ...PARAMS, 404) },
      },
      config: access,
    },
    async (request) => {
      const revoked = await ctx.orch.apiKeys.revoke(request.params.id);
      await ctx.orch.audit.append({ ...actorOf(request), action: 'key.revoke', details: { id: revoked.id } });
      return keyJson(revoked);
    },
  );
}
