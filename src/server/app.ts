import fastifyCors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Server as HttpsServer } from 'node:https';
import Fastify, {
  type FastifyHttpsOptions,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { loadPolicyConfig } from '../engine/index.js';
import type { Orchestrator, WorkflowEngine } from '../engine/index.js';
import { createPolicyEngine } from '../policy/index.js';
import { registerAccess, type Access } from './auth/access.js';
import { RateLimits, type RateLimitOptions } from './auth/rate-limits.js';
import type { ServerContext } from './context.js';
import { errorHandler, notFoundBody } from './errors.js';
import { registerSecurityHeaders } from './security-headers.js';
import { swaggerOptions } from './openapi.js';
import { serializerCompiler } from './serializer.js';
import { appRoutes } from './routes/apps.js';
import { auditRoutes } from './routes/audit.js';
import { eventRoutes, type OpenStreams } from './routes/events.js';
import { executeRoutes } from './routes/execute.js';
import { keyRoutes } from './routes/keys.js';
import { mcpRoutes } from './routes/mcp.js';
import { metricsRoutes } from './routes/metrics.js';
import { secretRoutes } from './routes/secrets.js';
import { systemRoutes } from './routes/system.js';
import { targetRoutes } from './routes/targets.js';
import { toolRoutes } from './routes/tools.js';
import { webhookRoutes } from './routes/webhooks.js';
import { workflowRoutes } from './routes/workflows.js';
import { wsRoutes } from './routes/ws.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ServerOptions {
  orch: Orchestrator;
  engine: WorkflowEngine;
  /** Default 1 MiB; larger bodies get 413. */
  bodyLimit?: number;
  /** Origins allowed by CORS; CORS is off when empty. */
  corsOrigins?: readonly string[];
  /** PEM certificate and key: HTTPS instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Proxy addresses (or CIDRs) whose X-Forwarded-For is believed; none by default. */
  trustProxy?: readonly string[];
  rateLimits?: RateLimitOptions;
  /** Accept directories and file:// URLs as repository_url (the orchestrator's own disk). */
  allowLocalSources?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Unexpected errors (bugs): default stderr. Never sent to the client. */
  onInternalError?: (error: unknown) => void;
}

/** One row of the route table: what the RBAC matrix test and the docs enumerate. */
export interface RouteInfo {
  method: string;
  url: string;
  access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with its access declaration. */
    routeTable: RouteInfo[];
  }
}

function fastifyOptions(options: ServerOptions): FastifyServerOptions {
  const base: FastifyServerOptions = {
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Request logs would carry headers; errors are reported through onInternalError instead.
    logger: false,
    trustProxy:
      options.trustProxy === undefined || options.trustProxy.length === 0 ? false : [...options.trustProxy],
    // Ids and names are short: a long URL is an attack or a mistake.
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // Bad URLs and over-long parameters are answered by the router itself: in our error shape too.
    frameworkErrors: (error, _request, generic) => {
      const reply = generic as unknown as FastifyReply;
      void reply
        .status(error.statusCode ?? 400)
        .send({ error: { code: 'AUT_INVALID_INPUT', message: error.message, details: {} } });
    },
  };
  return base;
}

/**
 * The HTTP API: every route validated with zod (unknown fields rejected), authenticated with an API
 * key, authorized with the RBAC table, rate limited, and answered with `{error: {code, message,
 * details}}` on failure. It calls the same engine functions as the CLI.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const env = options.env ?? process.env;
  const base = fastifyOptions(options);
  const tls = options.tls;
  // Fastify types an HTTPS server as another instance type; the routes do not care which it is.
  const app =
    tls === undefined
      ? Fastify(base)
      : (Fastify({
          ...base,
          https: { cert: tls.cert, key: tls.key },
        } as unknown as FastifyHttpsOptions<HttpsServer>) as unknown as FastifyInstance);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const onInternalError =
    options.onInternalError ??
    ((error: unknown) =>
      process.stderr.write(
        `automatos serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ));
  app.setErrorHandler(errorHandler({ onInternalError }));
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(notFoundBody(request.method, request.url));
  });

  // JSON only: a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.decorate('routeTable', [] as RouteInfo[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.routeTable.push({
        method,
        url: route.url,
        access: (route.config as { access?: Access } | undefined)?.access,
      });
    }
  });

  await registerSecurityHeaders(app, {
    // The docs page loads its own script and styles; everything else is JSON.
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } },
    hsts: options.tls !== undefined,
  });
  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: [...options.corsOrigins],
      // The MCP client sends its protocol version header on every call to /mcp.
      allowedHeaders: ['authorization', 'x-api-key', 'content-type', 'last-event-id', 'mcp-protocol-version'],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
    });
  }
  await app.register(fastifySwagger, swaggerOptions);
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });

  const limits = new RateLimits(options.rateLimits);
  registerAccess(app, { orch: options.orch, limits });

  const ctx: ServerContext = {
    orch: options.orch,
    engine: options.engine,
    policy: createPolicyEngine(await loadPolicyConfig(options.orch.dataDir, env)),
    allowLocalSources: options.allowLocalSources === true,
    env,
  };
  const streams: OpenStreams = new Set();
  // SSE replies are hijacked, so Fastify's close would wait for them forever: end them first.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  systemRoutes(app, ctx);
  workflowRoutes(app, ctx);
  eventRoutes(app, ctx, streams);
  executeRoutes(app, ctx);
  targetRoutes(app, ctx);
  appRoutes(app, ctx);
  secretRoutes(app, ctx);
  auditRoutes(app, ctx);
  keyRoutes(app, ctx);
  toolRoutes(app, ctx);
  metricsRoutes(app, ctx);
  webhookRoutes(app, ctx);
  mcpRoutes(app, ctx, { limits, onInternalError });
  await wsRoutes(app, ctx, { limits, onInternalError });
  await app.ready();
  return app;
}
