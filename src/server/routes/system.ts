import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { VERSION } from '../../core/index.js';
import type { ServerContext } from '../context.js';
import { errors, HealthSchema, json, OPEN, ReadySchema } from '../schemas/index.js';

/** Liveness, readiness and the OpenAPI document: no key needed. */
export function systemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const open = { access: { public: true as const } };

  r.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        response: { 200: json(HealthSchema, 'The process answers'), ...errors(...OPEN) },
      },
      config: open,
    },
    async () => ({ status: 'ok' as const, version: VERSION }),
  );

  r.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers',
        response: { 200: json(ReadySchema, 'Ready to serve'), ...errors(...OPEN, 503) },
      },
      config: open,
    },
    async (_request, reply) => {
      try {
        await ctx.orch.store.workflows.list({ limit: 1 });
        const queue = ctx.engine.stats();
        return { status: 'ready' as const, database: ctx.orch.store.dialect, queue };
      } catch {
        return reply
          .status(503)
          .send({ error: { code: 'AUT_STORE', message: 'the database does not answer', details: {} } });
      }
    },
  );

  app.get('/openapi.json', { schema: { hide: true }, config: open }, async () => app.swagger());
}
