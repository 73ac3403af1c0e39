import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../core/index.js';
import type { ServerContext } from '../context.js';

/** Liveness, readiness and the OpenAPI document: no key needed. */
export function systemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const open = { access: { public: true as const } };

  app.get('/health', { schema: { tags: ['system'], summary: 'Liveness' }, config: open }, async () => ({
    status: 'ok',
    version: VERSION,
  }));

  app.get(
    '/ready',
    { schema: { tags: ['system'], summary: 'Readiness: the database answers' }, config: open },
    async (_request, reply) => {
      try {
        await ctx.orch.store.workflows.list({ limit: 1 });
        const queue = ctx.engine.stats();
        return { status: 'ready', database: ctx.orch.store.dialect, queue };
      } catch {
        return reply
          .status(503)
          .send({ error: { code: 'AUT_STORE', message: 'the database does not answer', details: {} } });
      }
    },
  );

  app.get('/openapi.json', { schema: { hide: true }, config: open }, async () => app.swagger());
}
