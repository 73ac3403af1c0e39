import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FINISHED_STATUSES, forWorkflow, logChunkView } from '../../engine/index.js';
import type { EngineEvent } from '../../engine/index.js';
import type { StepRecord, Workflow } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { scopedWorkflow } from './workflows.js';

const Params = z.object({ id: z.string().min(1).max(100) }).strict();
const Query = z.object({ last_event_id: z.coerce.number().int().min(0).optional() }).strict();

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 1000;

/** One SSE frame. Only log lines carry an `id` (their stored seq): that is what a reconnect resumes from. */
const frame = (event: string, data: unknown, id?: number): string =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const stepData = (
  s: Pick<StepRecord, 'target' | 'step' | 'status'> & { detail?: string | null; at?: string | null },
) => ({
  target: s.target,
  step: s.step,
  status: s.status,
  detail: s.detail ?? null,
  at: s.at ?? null,
});

const statusData = (w: Pick<Workflow, 'id' | 'app' | 'status' | 'error'>) => ({
  workflow_id: w.id,
  app: w.app,
  status: w.status,
  error: w.error,
});

function lastEventId(header: string | string[] | undefined, query: number | undefined): number {
  const text = Array.isArray(header) ? header[0] : header;
  const parsed = text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  return parsed ?? query ?? 0;
}

/** Open streams, ended when the server closes (a hijacked reply is not closed by Fastify). */
export type OpenStreams = Set<() => void>;

/**
 * `GET /workflows/{id}/events`: Server-Sent Events. The bus is subscribed before the store is read,
 * so nothing published during the replay is lost; log lines are deduplicated by seq, so a line
 * both replayed and buffered is sent once. The stream ends after the workflow's final status.
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
      },
      config: { access: { action: 'read' } },
    },
    async (request, reply) => {
      const workflow = await scopedWorkflow(ctx, request, request.params.id, 'read');
      let sentSeq = lastEventId(request.headers['last-event-id'], request.query.last_event_id);
      // Events are handled one at a time, in arrival order, on one promise chain.
      let chain: Promise<void> = Promise.resolve();
      const unsubscribe = ctx.orch.bus.subscribe((event) => {
        chain = chain.then(() => handle(event)).catch(() => end());
      }, forWorkflow(workflow.id));
      reply.hijack();
      const raw = reply.raw;
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        unsubscribe();
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

      /**
       * Sends every stored line after the last one sent, up to `upTo`. The bus may deliver lines of
       * concurrent writers out of seq order, but a line is stored before it is published: so the
       * store, read in seq order, is the one source of what to send.
       */
      const flushLog = async (upTo?: number): Promise<void> => {
        for (;;) {
          const chunks = await ctx.orch.store.logs.list(workflow.id, {
            afterSeq: sentSeq,
            limit: REPLAY_PAGE,
          });
          for (const chunk of chunks) {
            if (ended || (upTo !== undefined && chunk.seq > upTo)) return;
            sentSeq = chunk.seq;
            raw.write(frame('log', logChunkView(chunk), chunk.seq));
          }
          if (chunks.length < REPLAY_PAGE) return;
        }
      };

      async function handle(event: EngineEvent): Promise<void> {
        if (ended) return;
        if (event.type === 'log') {
          if (event.seq <= sentSeq) return;
          if (event.seq === sentSeq + 1) {
            sentSeq = event.seq;
            raw.write(frame('log', logChunkView({ ...event }), event.seq));
          } else {
            await flushLog(event.seq);
          }
        } else if (event.type === 'step') {
          raw.write(frame('step', stepData({ ...event })));
        } else if (event.type === 'workflow.status') {
          if (FINISHED_STATUSES.includes(event.status)) await flushLog();
          raw.write(frame('status', statusData({ id: event.workflowId, ...event })));
          if (FINISHED_STATUSES.includes(event.status)) end();
        }
      }

      const replay = async (): Promise<void> => {
        raw.write(frame('status', statusData(await ctx.orch.store.workflows.get(workflow.id))));
        for (const step of await ctx.orch.store.steps.list(workflow.id)) {
          raw.write(frame('step', stepData({ ...step, at: step.finishedAt ?? step.startedAt })));
        }
        await flushLog();
        // Status after the log: a workflow seen finished here has stored its last line already.
        const now = await ctx.orch.store.workflows.get(workflow.id);
        if (FINISHED_STATUSES.includes(now.status)) {
          await flushLog();
          raw.write(frame('status', statusData(now)));
          end();
        }
      };
      try {
        // The replay goes first on the chain: events published meanwhile wait behind it.
        const replayed = chain.then(replay);
        chain = replayed.catch(() => end());
        await replayed;
      } catch {
        // The headers are gone: the client sees the stream end and reconnects with Last-Event-ID.
        end();
      }
    },
  );
}
