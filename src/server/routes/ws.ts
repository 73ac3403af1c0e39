import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { isAutomatosError } from '../../core/index.js';
import { WorkflowFeed, followWorkflow, type FeedEvent } from './feed.js';
import type { EngineEvent } from '../../engine/index.js';
import type { Principal } from '../../security/index.js';
import { principalOf } from '../auth/access.js';
import { presentedKey } from '../auth/credentials.js';
import type { RateLimits } from '../auth/rate-limits.js';
import { allInScope, type ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { empty, errors, KEYED } from '../schemas/index.js';
import { scopedWorkflow } from './workflows.js';

/** The subprotocol the server selects; a browser offers it next to `automatos.key.<key>`. */
export const WS_SUBPROTOCOL = 'automatos.v1';

/** A subscribe frame is ~100 bytes: anything much larger is a mistake or an attack. */
const MAX_FRAME_BYTES = 4096;
/** Above this `ws` refuses the frame itself (close 1009) without buffering it all. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Bad frames tolerated on one connection before it is closed with 1008 (policy violation). */
const MAX_BAD_FRAMES = 10;
const MAX_SUBSCRIPTIONS = 100;
/** A client that does not read: close (1013) rather than buffer its backlog in our memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Ping to find dead peers; the key is checked again at the same pace (it may be revoked). */
const PING_MS = 30_000;
/** How long a closing server waits for close handshakes before cutting the sockets. */
const CLOSE_GRACE_MS = 1000;
/** Workflows whose scope an "all" subscription remembers (targets of a workflow never change). */
const SCOPE_CACHE = 10_000;

const OPEN = 1;

/** The part of a `ws` WebSocket this route uses (`ws` ships no types of its own). */
interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'close' | 'pong', listener: () => void): unknown;
}

const WorkflowTarget = z
  .object({
    workflow: z.string().min(1).max(100),
    after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
const AllTarget = z.object({ all: z.literal(true) }).strict();
const Target = z.union([WorkflowTarget, AllTarget]);
type Target = z.infer<typeof Target>;

interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  details: Record<string, unknown>;
  workflow?: string;
}

type ServerFrame =
  | ErrorFrame
  | { type: 'subscribed' | 'unsubscribed'; workflow?: string; all?: true }
  | ({ type: FeedEvent['type']; workflow_id: string } & Record<string, unknown>);

export interface WsRouteOptions {
  /** The API's limits: each subscribe spends a point of the key's per-key budget (it reads the store). */
  limits: RateLimits;
  /** Failures of our own code (bugs): never sent to the client. */
  onInternalError: (error: unknown) => void;
}

const eventFrame = (event: FeedEvent): ServerFrame => ({
  type: event.type,
  workflow_id: event.workflowId,
  ...event.data,
});

const bytesOf = (data: Buffer | ArrayBuffer | Buffer[]): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/** The `ws` handshake hook: select our protocol, never echo the key's (it would land in proxy logs). */
const handleProtocols = (protocols: Set<string>, _request: IncomingMessage): string | false =>
  protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false;

/**
 * `GET /ws`: live events over one WebSocket, for many workflows. The upgrade request goes through
 * the access hook like every route (key in a header, or as the subprotocol `automatos.key.<key>`;
 * 401 before any upgrade). Frames are JSON text, handled one at a time in the client's order.
 * Per-workflow subscriptions are `followWorkflow` (the SSE stream's replay and dedup), so a
 * reconnect with `after` loses and duplicates nothing; "all" is live only and filtered by the
 * key's target scope.
 */
export async function wsRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  options: WsRouteOptions,
): Promise<void> {
  const sockets = new Set<LiveSocket>();
  // An upgrade refused with an HTTP answer (401, 429, 404) leaves its socket open: the plugin only
  // ends it when its own onRequest hook ran, and the access hook throws before it. Unauthenticated
  // clients must not be able to hold sockets, so every answered upgrade is cut here.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket') request.raw.socket.destroy();
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_PAYLOAD_BYTES, handleProtocols },
    // A socket error is the peer's network, not our bug: drop the connection quietly.
    errorHandler: (_error, socket) => {
      socket.terminate();
    },
    // Fastify's close waits for every connection: ask clients to go (1001), then cut the rest.
    preClose: async () => {
      const open = [...sockets];
      if (open.length === 0) return;
      const closed = Promise.all(
        open.map(
          (s) => new Promise<void>((resolve) => (s.readyState > OPEN ? resolve() : s.on('close', resolve))),
        ),
      );
      for (const s of open) s.close(1001, 'server closing');
      const timer = setTimeout(() => open.forEach((s) => s.terminate()), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(timer);
    },
  });

  app.route({
    method: 'GET',
    url: '/ws',
    schema: {
      tags: ['workflows'],
      summary:
        'Live status, steps and log lines of many workflows over a WebSocket (JSON frames); resumable with `after` (the log seq)',
      response: {
        101: empty(
          'Switched to the WebSocket protocol (subprotocol automatos.v1). Client frames: ' +
            '{"type":"subscribe","workflow":ID,"after":SEQ}, {"type":"subscribe","all":true} and the same ' +
            'with "unsubscribe". Server frames: {"type":"subscribed"|"unsubscribed",…}, ' +
            '{"type":"status"|"step"|"log","workflow_id":ID,…} whose other fields are a StatusEvent, a ' +
            'StepEvent or a LogChunk (see components), and {"type":"error","code","message","details"}.',
        ),
        // 426: a plain GET, without the upgrade.
        ...errors(...KEYED, 426),
      },
    },
    config: { access: { action: 'read' } },
    // A plain GET reaches this handler: only an upgrade makes sense here.
    handler: async (_request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('upgrade', 'websocket');
      throw new HttpError(426, 'AUT_INVALID_INPUT', 'GET /ws needs a WebSocket upgrade');
    },
    wsHandler: (socket: LiveSocket, request: FastifyRequest) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      new Connection(ctx, options, socket, request).start();
    },
  });
}

/** One client's subscriptions. Everything it sends goes through `send`, which drops after close. */
class Connection {
  private readonly principal: Principal;
  /** Per-workflow subscriptions: the function that stops each. */
  private readonly subscriptions = new Map<string, () => void>();
  private all: AllFeed | null = null;
  private inbox: Promise<void> = Promise.resolve();
  private badFrames = 0;
  private closed = false;
  private alive = true;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly options: WsRouteOptions,
    private readonly socket: LiveSocket,
    private readonly request: FastifyRequest,
  ) {
    this.principal = principalOf(request);
  }

  start(): void {
    this.socket.on('message', (data, isBinary) => {
      // One frame at a time: subscribes and unsubscribes take effect in the client's order.
      this.inbox = this.inbox
        .then(() => this.onFrame(data, isBinary))
        .catch((error: unknown) => {
          this.options.onInternalError(error);
          this.close(1011, 'internal error');
        });
    });
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('close', () => this.dispose());
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) => this.options.onInternalError(error));
    }, PING_MS);
  }

  private async beat(): Promise<void> {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
    if (!(await this.keyStillValid())) this.close(1008, 'API key no longer valid');
  }

  /** Revoked or expired since the upgrade: a long-lived socket must not outlive its key. */
  private async keyStillValid(): Promise<boolean> {
    const key = presentedKey(this.request);
    if (key === undefined) return false;
    const result = await this.ctx.orch.apiKeys.authenticate(key).catch(() => null);
    // A store hiccup is not a revocation: keep the connection, check again next time.
    return result === null || result.ok;
  }

  private dispose(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const stop of this.subscriptions.values()) stop();
    this.subscriptions.clear();
    this.all?.stop();
    this.all = null;
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.close(code, reason);
  }

  send(frame: ServerFrame): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(1013, 'not reading fast enough: reconnect and subscribe with after');
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  private error(
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    workflow?: string,
  ): void {
    this.send({ type: 'error', code, message, details, ...(workflow === undefined ? {} : { workflow }) });
  }

  private bad(message: string, details: Record<string, unknown> = {}): void {
    this.badFrames += 1;
    this.error('AUT_INVALID_INPUT', message, details);
    if (this.badFrames >= MAX_BAD_FRAMES) this.close(1008, 'too many bad frames');
  }

  private async onFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Promise<void> {
    if (this.closed) return;
    if (isBinary) return this.bad('send JSON text frames');
    const bytes = bytesOf(data);
    if (bytes.length > MAX_FRAME_BYTES) return this.bad('frame too large', { limit_bytes: MAX_FRAME_BYTES });
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return this.bad('frame is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return this.bad('frame must be a JSON object with a "type"');
    }
    const { type, ...rest } = parsed as Record<string, unknown>;
    if (type !== 'subscribe' && type !== 'unsubscribe') {
      return this.bad('unknown frame type: use "subscribe" or "unsubscribe"', { type: String(type) });
    }
    const target = Target.safeParse(rest);
    if (!target.success) {
      return this.bad('give "workflow" (and optionally "after", a log seq) or "all": true', {
        issues: target.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    if (type === 'unsubscribe') return this.unsubscribe(target.data);
    return this.subscribe(target.data);
  }

  private unsubscribe(target: Target): void {
    if ('all' in target) {
      this.all?.stop();
      this.all = null;
      this.send({ type: 'unsubscribed', all: true });
      return;
    }
    this.subscriptions.get(target.workflow)?.();
    this.subscriptions.delete(target.workflow);
    this.send({ type: 'unsubscribed', workflow: target.workflow });
  }

  private async subscribe(target: Target): Promise<void> {
    const workflowId = 'workflow' in target ? target.workflow : undefined;
    try {
      // A subscribe reads the store (and replays): it spends the key's budget like a request.
      await this.options.limits.authenticated(this.principal.id.replace(/^key:/, ''));
      if (!(await this.keyStillValid())) {
        this.close(1008, 'API key no longer valid');
        return;
      }
      if (workflowId === undefined) {
        if (this.all === null) this.all = new AllFeed(this.ctx, this.principal, this);
        this.send({ type: 'subscribed', all: true });
        return;
      }
      if (!this.subscriptions.has(workflowId) && this.subscriptions.size >= MAX_SUBSCRIPTIONS) {
        this.error('AUT_INVALID_INPUT', 'too many subscriptions on one connection', {
          limit: MAX_SUBSCRIPTIONS,
        });
        return;
      }
      // Same check as GET /workflows/{id}: not found, or 403 (audited) outside the key's scope.
      const workflow = await scopedWorkflow(this.ctx, this.request, workflowId, 'read');
      if (this.closed) return;
      // Subscribing again restarts from the new `after`; "all" leaves this workflow to it.
      this.subscriptions.get(workflow.id)?.();
      this.all?.forget(workflow.id);
      this.send({ type: 'subscribed', workflow: workflow.id });
      const stop = followWorkflow(this.ctx.orch, workflow.id, 'after' in target ? (target.after ?? 0) : 0, {
        send: (event) => this.send(eventFrame(event)),
        end: (failed) => {
          if (this.subscriptions.get(workflow.id) === stop) this.subscriptions.delete(workflow.id);
          if (failed) {
            this.error(
              'AUT_STORE',
              'the event feed failed: subscribe again with "after" set to the last seq received',
              {},
              workflow.id,
            );
          }
        },
      });
      this.subscriptions.set(workflow.id, stop);
    } catch (error) {
      if (error instanceof HttpError) {
        this.error(error.code, error.message, error.details, workflowId);
      } else if (isAutomatosError(error) && error.code !== 'AUT_INTERNAL') {
        this.error(error.code, error.message, {}, workflowId);
      } else {
        this.options.onInternalError(error);
        this.error('AUT_INTERNAL', 'internal error', {}, workflowId);
      }
    }
  }

  /** Whether this connection follows `workflowId` on its own subscription. */
  follows(workflowId: string): boolean {
    return this.subscriptions.has(workflowId);
  }

  failAll(): void {
    this.all?.stop();
    this.all = null;
    this.error('AUT_STORE', 'the "all" feed failed: subscribe again', {});
  }
}

/**
 * Every workflow's events, live only, for the workflows in the key's scope. Each workflow gets its
 * own `WorkflowFeed` (starting at the first log line seen), so lines are still sent in seq order and
 * once, and a finished workflow's feed is dropped after its final status.
 */
class AllFeed {
  private readonly feeds = new Map<string, WorkflowFeed>();
  private readonly visible = new Map<string, boolean>();
  private readonly unsubscribe: () => void;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly principal: Principal,
    private readonly connection: Connection,
  ) {
    this.unsubscribe = ctx.orch.bus.subscribe(
      (event) => {
        this.chain = this.chain
          .then(() => this.route(event))
          .catch(() => {
            if (!this.stopped) this.connection.failAll();
          });
      },
      (event) => event.type === 'workflow.status' || event.type === 'step' || event.type === 'log',
    );
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const feed of this.feeds.values()) feed.stop();
    this.feeds.clear();
  }

  forget(workflowId: string): void {
    this.feeds.get(workflowId)?.stop();
    this.feeds.delete(workflowId);
  }

  private async inScope(workflowId: string): Promise<boolean> {
    if (this.principal.targets === null) return true;
    const known = this.visible.get(workflowId);
    if (known !== undefined) return known;
    const workflow = await this.ctx.orch.store.workflows.get(workflowId).catch(() => null);
    const visible = workflow !== null && allInScope(this.principal, workflow.targets);
    if (this.visible.size >= SCOPE_CACHE) this.visible.clear();
    this.visible.set(workflowId, visible);
    return visible;
  }

  private async route(event: EngineEvent): Promise<void> {
    if (this.stopped || !('workflowId' in event)) return;
    const id = event.workflowId;
    if (this.connection.follows(id) || !(await this.inScope(id)) || this.stopped) return;
    let feed = this.feeds.get(id);
    if (feed === undefined) {
      const created = new WorkflowFeed(this.ctx.orch, id, null, {
        send: (e) => this.connection.send(eventFrame(e)),
        end: () => {
          if (this.feeds.get(id) === created) this.feeds.delete(id);
        },
      });
      feed = created;
      this.feeds.set(id, feed);
    }
    await feed.handle(event);
  }
}
