import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { createMetrics } from '../metrics/registry.js';

/** `GET /metrics` in the Prometheus text format, for a key with `read` (scrapers send a bearer key). */
export function metricsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const metrics = createMetrics({ orch: ctx.orch, queueStats: () => ctx.engine.stats() });
  app.addHook('onClose', async () => metrics.close());
  app.get(
    '/metrics',
    { schema: { tags: ['system'], summary: 'Prometheus metrics' }, config: { access: { action: 'read' } } },
    async (_request, reply) =>
      reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
