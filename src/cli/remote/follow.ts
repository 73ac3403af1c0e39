import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { AutomatosError, isAutomatosError } from '../../core/index.js';
import { SETTLED_STATUSES } from '../../engine/index.js';
import { WORKFLOW_STATUSES } from '../../store/index.js';
import type { RemoteClient } from './client.js';
import { sseMessages, type SseMessage } from './sse.js';

const StatusData = z.object({
  workflow_id: z.string(),
  app: z.string(),
  status: z.enum(WORKFLOW_STATUSES),
  error: z.string().nullable(),
});
const StepData = z.object({
  target: z.string(),
  step: z.string(),
  status: z.string(),
  detail: z.string().nullable(),
  at: z.string().nullable(),
});
const LogData = z.object({
  seq: z.number().int(),
  target: z.string().nullable(),
  step: z.string().nullable(),
  stream: z.string(),
  at: z.string(),
  text: z.string(),
});

type StatusData = z.infer<typeof StatusData>;
type StepData = z.infer<typeof StepData>;
export type LogData = z.infer<typeof LogData>;

export type FollowEvent =
  { type: 'status'; data: StatusData } | { type: 'step'; data: StepData } | { type: 'log'; data: LogData };

export interface FollowOptions {
  onEvent(event: FollowEvent): void;
  /** Return once this seq has been delivered: what was stored, without waiting for the end. */
  untilSeq?: number;
  signal?: AbortSignal;
}

/** How long a dropped stream is retried before the follower gives up. */
const RECONNECT_FOR_MS = 60_000;
/** Until the server says otherwise with `retry:`. */
const DEFAULT_RETRY_MS = 2000;

function decode<T>(schema: z.ZodType<T>, message: SseMessage): T {
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AutomatosError('AUT_REMOTE', `the server sent a ${message.event} event this CLI cannot read`, {
      details: { event: message.event },
    });
  }
  return parsed.data;
}

/** Events this CLI does not know (a newer server) are skipped. */
function parse(message: SseMessage): FollowEvent | null {
  switch (message.event) {
    case 'status':
      return { type: 'status', data: decode(StatusData, message) };
    case 'step':
      return { type: 'step', data: decode(StepData, message) };
    case 'log':
      return { type: 'log', data: decode(LogData, message) };
    default:
      return null;
  }
}

/**
 * Follows one workflow over `GET /workflows/{id}/events` until the server ends the stream after the
 * final status. A stream that breaks off (the server restarts, a proxy cuts it) is opened again with
 * Last-Event-ID set to the last log seq shown, so no line is lost and none is shown twice; a replayed
 * step or status that did not change is not shown again. The first connection is not retried: a
 * server that is down is an error at once.
 */
export async function followWorkflow(
  client: RemoteClient,
  id: string,
  options: FollowOptions,
): Promise<void> {
  const { signal } = options;
  const path = `/workflows/${encodeURIComponent(id)}/events`;
  const shownSteps = new Map<string, string>();
  let shownStatus: string | null = null;
  let lastSeq = 0;
  let retryMs = DEFAULT_RETRY_MS;
  let connected = false;
  let failingSince: number | null = null;
  let lastFailure = '';
  for (;;) {
    let final: StatusData | null = null;
    try {
      const stream = await client.events(path, lastSeq, signal);
      connected = true;
      failingSince = null;
      try {
        for await (const message of sseMessages(stream, (ms) => (retryMs = ms))) {
          const event = parse(message);
          if (event === null) continue;
          if (event.type === 'log') {
            if (event.data.seq <= lastSeq) continue;
            lastSeq = event.data.seq;
            options.onEvent(event);
            if (options.untilSeq !== undefined && lastSeq >= options.untilSeq) return;
          } else if (event.type === 'step') {
            const key = `${event.data.target}\n${event.data.step}`;
            if (shownSteps.get(key) === event.data.status) continue;
            shownSteps.set(key, event.data.status);
            options.onEvent(event);
          } else if (SETTLED_STATUSES.includes(event.data.status)) {
            // A replay opens with the status as it is now, before the steps and lines it replays:
            // a final one is shown only once the server has sent everything and ended the stream.
            final = event.data;
          } else if (shownStatus !== event.data.status) {
            shownStatus = event.data.status;
            options.onEvent(event);
          }
        }
      } finally {
        stream.destroy();
      }
      if (final !== null) {
        options.onEvent({ type: 'status', data: final });
        return;
      }
      lastFailure = 'the stream ended before the workflow did';
    } catch (error) {
      if (signal?.aborted === true || !connected) throw error;
      // A failure after the stream was open is a dropped connection, unless the server said otherwise.
      if (isAutomatosError(error) && !error.transient) throw error;
      lastFailure = error instanceof Error ? error.message : String(error);
    }
    failingSince ??= Date.now();
    if (Date.now() - failingSince > RECONNECT_FOR_MS) {
      throw new AutomatosError(
        'AUT_REMOTE_UNREACHABLE',
        `lost the event stream of workflow ${id} and could not get it back for ${RECONNECT_FOR_MS / 1000} s ` +
          `(${lastFailure}); the workflow itself goes on on the server`,
        { details: { workflowId: id, lastSeq } },
      );
    }
    await delay(retryMs, undefined, signal === undefined ? {} : { signal });
  }
}
