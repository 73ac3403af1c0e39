import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { createMetrics } from '../metrics/registry.js';
import { errors, KEYED, text } from '../schemas/index.js';

/** `GET /metrics` in the Prometheus text format, for a key with `read` (scrapers send a bearer key). */
export function metricsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const metrics = createMetrics({ orch: ctx.orch, queueStats: () => ctx.engine.stats() });
  app.addHook('onClose', async () => metrics.close());
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics',
        response: {
          200: text('text/plain', 'The Prometheus text exposition format (version 0.0.4)'),
          ...errors(...KEYED),
        },
      },
      config: { access: { action: 'read' } },
    },
    async (_request, reply) =>
      reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
