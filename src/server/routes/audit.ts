import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inScope } from '../../security/index.js';
import { principalOf, requireAccess } from '../auth/access.js';
import type { ServerContext } from '../context.js';
import { AuditListSchema, AuditVerifySchema, errors, json, KEYED } from '../schemas/index.js';

const AuditQuery = z
  .object({
    target: z.string().min(1).max(63).optional(),
    since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export function auditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/audit',
    {
      schema: {
        querystring: AuditQuery,
        tags: ['audit'],
        summary: 'The newest audit records, oldest first',
        response: { 200: json(AuditListSchema, 'The records'), ...errors(...KEYED, 400) },
      },
      config: { access: { action: 'audit.read' } },
    },
    async (request) => {
      const { target, since, limit } = request.query;
      const principal = principalOf(request);
      if (target !== undefined) await requireAccess(ctx.orch, request, 'audit.read', [target]);
      const events = await ctx.orch.audit.list({
        limit,
        ...(target === undefined ? {} : { target }),
        ...(since === undefined ? {} : { since: new Date(since) }),
      });
      // A scoped key sees the records of its targets only.
      const items =
        principal.targets === null
          ? events
          : events.filter((e) => e.target !== null && inScope(principal, e.target));
      return { items };
    },
  );

  r.get(
    '/api/v1/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Verify the keyed chain, the head and the signed checkpoints',
        response: {
          200: json(AuditVerifySchema, 'ok, or every problem found (the answer is 200 either way)'),
          ...errors(...KEYED),
        },
      },
      config: { access: { action: 'audit.read' } },
    },
    async () => ctx.orch.audit.verify(),
  );
}
