import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { errors, KEYED, PARAMS, text } from '../schemas/index.js';
import { followWorkflow } from './feed.js';
import { scopedWorkflow } from './workflows.js';

const Params = z.object({ id: z.string().min(1).max(100) }).strict();
const Query = z.object({ last_event_id: z.coerce.number().int().min(0).optional() }).strict();

const HEARTBEAT_MS = 15_000;

/** One SSE frame. Only log lines carry an `id` (their stored seq): that is what a reconnect resumes from. */
const frame = (event: string, data: unknown, id?: number): string =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function lastEventId(header: string | string[] | undefined, query: number | undefined): number {
  const text = Array.isArray(header) ? header[0] : header;
  const parsed = text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  return parsed ?? query ?? 0;
}

/** Open streams, ended when the server closes (a hijacked reply is not closed by Fastify). */
export type OpenStreams = Set<() => void>;

/**
 * `GET /workflows/{id}/events`: Server-Sent Events over `followWorkflow` (feed.ts): the stored
 * state after Last-Event-ID, then live; log lines are deduplicated by seq, so a line both replayed
 * and buffered is sent once. The stream ends after the workflow's final status.
 */
export function eventRoutes(app: FastifyInstance, ctx: ServerContext, streams: OpenStreams): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/workflows/:id/events',
    {
      schema: {
        params: Params,
        querystring: Query,
        tags: ['workflows'],
        summary: 'Live status, steps and log lines (SSE); resumable with Last-Event-ID (the log seq)',
        response: {
          200: text(
            'text/event-stream',
            'Server-Sent Events: frames `event: status`, `event: step` and `event: log`, each with `data:` one ' +
              'JSON object (a StatusEvent, a StepEvent or a LogChunk: see components). Log frames carry ' +
              '`id:` (their seq), what Last-Event-ID resumes after. A `: keep-alive` comment comes every ' +
              '15 s; the stream ends after the final status.',
          ),
          ...errors(...KEYED, ...PARAMS, 404),
        },
      },
      config: { access: { action: 'read' } },
    },
    async (request, reply) => {
      const workflow = await scopedWorkflow(ctx, request, request.params.id, 'read');
      const afterSeq = lastEventId(request.headers['last-event-id'], request.query.last_event_id);
      reply.hijack();
      const raw = reply.raw;
      let ended = false;
      let stop = (): void => undefined;
      const end = (): void => {
        if (ended) return;
        ended = true;
        stop();
        clearInterval(heartbeat);
        streams.delete(end);
        raw.end();
      };
      streams.add(end);
      raw.on('close', end);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      raw.writeHead(200, {
        // Headers hooks already set (security headers, CORS) survive the hijack.
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      // A failure ends the stream: the client sees it end and reconnects with Last-Event-ID.
      stop = followWorkflow(ctx.orch, workflow.id, afterSeq, {
        send: (event) =>
          raw.write(frame(event.type, event.data, event.type === 'log' ? event.seq : undefined)),
        end,
      });
    },
  );
}
