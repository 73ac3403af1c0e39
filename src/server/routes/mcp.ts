import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { AutomatosError, VERSION } from '../../core/index.js';
import { createMcpServer } from '../../mcp/index.js';
import { authorize, type Principal } from '../../security/index.js';
import { principalOf } from '../auth/access.js';
import type { RateLimits } from '../auth/rate-limits.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import {
  empty,
  errors,
  json,
  JsonRpcRefusalSchema,
  KEYED,
  McpBodySchema,
  McpRefusalSchema,
  McpResultSchema,
} from '../schemas/index.js';
import { checkSource } from './source.js';

export interface McpRouteOptions {
  /** The API's limits: an `execute` tool call spends the same per-key budget as `POST /execute`. */
  limits: RateLimits;
  /** Where a failure of the transport itself goes (a bug): never to the client. */
  onInternalError: (error: unknown) => void;
}

/** How many `execute` tool calls a JSON-RPC body carries (one message, or a batch of them). */
function executeCalls(body: unknown): number {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.filter((message) => {
    if (typeof message !== 'object' || message === null) return false;
    const { method, params } = message as { method?: unknown; params?: unknown };
    if (method !== 'tools/call' || typeof params !== 'object' || params === null) return false;
    return (params as { name?: unknown }).name === 'execute';
  }).length;
}

/** The access hook keys its limiters by the key's id; a key's principal is `key:<id>`. */
const keyIdOf = (principal: Principal): string => principal.id.replace(/^key:/, '');

const notAllowed = async (): Promise<never> => {
  throw new HttpError(
    405,
    'AUT_METHOD_NOT_ALLOWED',
    'the MCP endpoint is stateless: POST each JSON-RPC message to /mcp (there is no session to stream or delete)',
    {},
    { allow: 'POST' },
  );
};

/**
 * `/mcp`: the MCP server (the same tools as `automatos mcp`) over the SDK's Streamable HTTP
 * transport. The key is checked by the access hook like on every route (401, audited); the route
 * itself only needs `read`, and each tool call is authorized again with the key's own principal
 * (role, grants, target scopes), so MCP can do nothing the key could not do over REST.
 *
 * Stateless: one server and transport per POST, closed with its response. Sessions would pin a
 * client to this process and keep per-client state in memory; a stateless request needs neither,
 * and every request is authenticated on its own. Responses are plain JSON rather than an SSE stream:
 * the tools send no progress notifications, and JSON passes through any proxy unbuffered.
 */
export function mcpRoutes(app: FastifyInstance, ctx: ServerContext, options: McpRouteOptions): void {
  // A hijacked reply is not closed by Fastify: a call still running (a long execute) would hold
  // the server's close, so the connections of open calls are ended first.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  // A remote caller reads the orchestrator's disk only where REST would let it.
  const checkMcpSource = (value: string, field: 'source' | 'directory'): void => {
    if (field === 'source') return checkSource(ctx, value, 'source');
    if (ctx.allowLocalSources) return;
    throw new AutomatosError(
      'AUT_SOURCE_INVALID',
      'directory: reading a directory on the orchestrator is refused unless the server runs with ' +
        '--allow-local-sources; give module_type alone to start from a template',
      { details: { field } },
    );
  };

  app.post(
    '/mcp',
    {
      schema: {
        tags: ['mcp'],
        summary:
          'Model Context Protocol over Streamable HTTP (stateless): JSON-RPC messages, each tool call authorized with this key',
        body: McpBodySchema,
        response: {
          200: json(McpResultSchema, 'The JSON-RPC responses (a tool refusal is a JSON-RPC error here)'),
          202: empty('Only notifications or responses were sent: nothing to answer'),
          400: json(
            McpRefusalSchema,
            'Not JSON-RPC 2.0 (the API’s error body), or refused by the MCP transport (a JSON-RPC error)',
          ),
          406: json(
            JsonRpcRefusalSchema,
            'The Accept header must name application/json and text/event-stream',
          ),
          ...errors(...KEYED, 413, 415),
        },
      },
      config: { access: { action: 'read' } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // Charged here, before the reply is hijacked, so a 429 leaves in the API's error shape. A call
      // the role may not make at all is refused by the tool instead and costs nothing, as on REST.
      if (authorize(principal, 'execute').allowed) {
        for (let i = executeCalls(request.body); i > 0; i -= 1) {
          await options.limits.execute(keyIdOf(principal));
        }
      }
      const server = createMcpServer({
        orch: ctx.orch,
        engine: ctx.engine,
        // One server per request: the request's principal is the only one it will ever see.
        principal,
        cwd: process.cwd(),
        env: ctx.env,
        version: VERSION,
        source: 'mcp',
        checkSource: checkMcpSource,
        // No signal: a deployment started here belongs to the server, not to this HTTP request.
        // No log: a deployment's outcome is on its workflow record, as for `POST /workflow`.
      });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.hijack();
      const raw = reply.raw;
      // Headers the hooks set (security headers, CORS) survive the hijack.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) raw.setHeader(name, value);
      }
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        open.delete(end);
        // Closing the server closes its transport too.
        server.close().catch(options.onInternalError);
      };
      const end = (): void => {
        if (!raw.writableEnded) raw.destroy();
        close();
      };
      open.add(end);
      raw.on('close', close);
      try {
        await server.connect(transport);
        await transport.handleRequest(request.raw, raw, request.body);
      } catch (error) {
        // The transport answers protocol errors itself; only a fault of its own lands here.
        options.onInternalError(error);
        if (!raw.headersSent) {
          raw.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          raw.end(
            JSON.stringify({
              error: {
                code: 'AUT_INTERNAL',
                message: 'internal error (it is logged on the server)',
                details: {},
              },
            }),
          );
        } else raw.destroy();
        close();
      }
    },
  );

  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: '/mcp',
      schema: {
        tags: ['mcp'],
        summary: 'Not supported: the MCP endpoint is stateless (405)',
        response: errors(...KEYED, 405),
      },
      config: { access: { action: 'read' } },
      handler: notAllowed,
    });
  }
}
