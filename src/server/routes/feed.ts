import { forWorkflow, logChunkView, SETTLED_STATUSES } from '../../engine/index.js';
import type { EngineEvent, Orchestrator } from '../../engine/index.js';
import type { StepRecord, Workflow } from '../../store/index.js';
import type { StatusEvent, StepEvent } from '../schemas/index.js';

// The live view of one workflow, shared by the SSE stream and the WebSocket: the same replay, the
// same order and the same deduplication, so both transports resume identically.

const REPLAY_PAGE = 1000;

export const stepData = (
  s: Pick<StepRecord, 'target' | 'step' | 'status'> & { detail?: string | null; at?: string | null },
): StepEvent => ({
  target: s.target,
  step: s.step,
  status: s.status,
  detail: s.detail ?? null,
  at: s.at ?? null,
});

export const statusData = (w: Pick<Workflow, 'id' | 'app' | 'status' | 'error'>): StatusEvent => ({
  workflow_id: w.id,
  app: w.app,
  status: w.status,
  error: w.error,
});

/** What a feed emits; `seq` (the stored log seq) is what a client resumes from. */
export type FeedEvent =
  | { type: 'status'; workflowId: string; data: ReturnType<typeof statusData> }
  | { type: 'step'; workflowId: string; data: ReturnType<typeof stepData> }
  | { type: 'log'; workflowId: string; seq: number; data: ReturnType<typeof logChunkView> };

export interface FeedSink {
  send(event: FeedEvent): void;
  /** The final status was sent (`failed` false), or the store failed: stop following. Called once. */
  end(failed: boolean): void;
}

/**
 * The events of one workflow, in order. Log lines are deduplicated by seq: `sentSeq` is the last
 * one sent, or null when no line has been seen yet (a live-only follower that must not replay).
 */
export class WorkflowFeed {
  private stopped = false;

  constructor(
    private readonly orch: Orchestrator,
    readonly workflowId: string,
    private sentSeq: number | null,
    private readonly sink: FeedSink,
  ) {}

  get ended(): boolean {
    return this.stopped;
  }

  /** Stops sending without calling `sink.end` (the transport itself is going away). */
  stop(): void {
    this.stopped = true;
  }

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink.end(false);
  }

  /**
   * Sends every stored line after the last one sent, up to `upTo`. The bus may deliver lines of
   * concurrent writers out of seq order, but a line is stored before it is published: so the
   * store, read in seq order, is the one source of what to send.
   */
  private async flushLog(upTo?: number): Promise<void> {
    if (this.sentSeq === null) return;
    for (;;) {
      const chunks = await this.orch.store.logs.list(this.workflowId, {
        afterSeq: this.sentSeq,
        limit: REPLAY_PAGE,
      });
      for (const chunk of chunks) {
        if (this.stopped || (upTo !== undefined && chunk.seq > upTo)) return;
        this.sentSeq = chunk.seq;
        this.sink.send({
          type: 'log',
          workflowId: this.workflowId,
          seq: chunk.seq,
          data: logChunkView(chunk),
        });
      }
      if (chunks.length < REPLAY_PAGE) return;
    }
  }

  /** One bus event of this workflow; the caller runs these one at a time, in arrival order. */
  async handle(event: EngineEvent): Promise<void> {
    if (this.stopped) return;
    if (event.type === 'log') {
      // A live-only follower starts at the first line it sees.
      if (this.sentSeq === null) this.sentSeq = event.seq - 1;
      if (event.seq <= this.sentSeq) return;
      if (event.seq === this.sentSeq + 1) {
        this.sentSeq = event.seq;
        this.sink.send({
          type: 'log',
          workflowId: this.workflowId,
          seq: event.seq,
          data: logChunkView(event),
        });
      } else {
        await this.flushLog(event.seq);
      }
    } else if (event.type === 'step') {
      this.sink.send({ type: 'step', workflowId: this.workflowId, data: stepData(event) });
    } else if (event.type === 'workflow.status') {
      const final = SETTLED_STATUSES.includes(event.status);
      if (final) await this.flushLog();
      if (this.stopped) return;
      this.sink.send({
        type: 'status',
        workflowId: this.workflowId,
        data: statusData({ id: event.workflowId, ...event }),
      });
      if (final) this.finish();
    }
  }

  /** The stored state: status, every step, the log after `sentSeq`; ends here if already finished. */
  async replay(): Promise<void> {
    const { store } = this.orch;
    const send = (event: FeedEvent): void => {
      if (!this.stopped) this.sink.send(event);
    };
    send({
      type: 'status',
      workflowId: this.workflowId,
      data: statusData(await store.workflows.get(this.workflowId)),
    });
    for (const step of await store.steps.list(this.workflowId)) {
      send({
        type: 'step',
        workflowId: this.workflowId,
        data: stepData({ ...step, at: step.finishedAt ?? step.startedAt }),
      });
    }
    this.sentSeq ??= 0;
    await this.flushLog();
    // Status after the log: a workflow seen finished here has stored its last line already.
    const now = await store.workflows.get(this.workflowId);
    if (SETTLED_STATUSES.includes(now.status)) {
      await this.flushLog();
      send({ type: 'status', workflowId: this.workflowId, data: statusData(now) });
      this.finish();
    }
  }
}

/**
 * Follows one workflow: stored state after `afterSeq`, then live events until its final status.
 * The bus is subscribed before the store is read, so nothing published during the replay is lost;
 * events published meanwhile wait behind the replay on one promise chain. A failure (the store)
 * ends the feed: the client reconnects with the last seq it got. Returns the function that stops.
 */
export function followWorkflow(
  orch: Orchestrator,
  workflowId: string,
  afterSeq: number,
  sink: FeedSink,
): () => void {
  let unsubscribe = (): void => undefined;
  const feed = new WorkflowFeed(orch, workflowId, afterSeq, {
    send: (event) => sink.send(event),
    end: (failed) => {
      unsubscribe();
      sink.end(failed);
    },
  });
  const fail = (): void => {
    unsubscribe();
    if (feed.ended) return;
    feed.stop();
    sink.end(true);
  };
  let chain: Promise<void> = Promise.resolve();
  unsubscribe = orch.bus.subscribe((event) => {
    chain = chain.then(() => feed.handle(event)).catch(fail);
  }, forWorkflow(workflowId));
  // The replay goes first on the chain: events published from here on wait behind it.
  chain = chain.then(() => feed.replay()).catch(fail);
  return () => {
    unsubscribe();
    feed.stop();
  };
}
