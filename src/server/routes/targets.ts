import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addTarget,
  LOCAL_TARGET,
  localTargetView,
  probeTarget,
  removeTarget,
  targetView,
  TargetViewSchema,
} from '../../engine/index.js';
import { PROFILES } from '../../policy/index.js';
import { SANDBOX_MODES } from '../../sandbox/index.js';
import { inScope } from '../../security/index.js';
import { principalOf, requireAccess } from '../auth/access.js';
import { actorOf, NameSchema, type ServerContext } from '../context.js';
import {
  BODY,
  empty,
  errors,
  json,
  KEYED,
  PARAMS,
  REMOTE,
  TargetItemSchema,
  TargetListSchema,
  TargetReportSchema,
} from '../schemas/index.js';

const TargetParams = z.object({ name: z.union([NameSchema, z.literal(LOCAL_TARGET)]) }).strict();

const CreateTarget = z
  .object({
    name: NameSchema,
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535).optional(),
    user: z.string().min(1).max(32).optional(),
    private_key: z.string().min(1).max(32_768).optional().describe('PEM; stored encrypted, never returned'),
    agent: z.boolean().optional(),
    fingerprint: z.string().max(100).optional(),
    trust_host_key: z.boolean().optional(),
    policy: z.enum(PROFILES).optional(),
    sandbox: z
      .enum(SANDBOX_MODES)
      .optional()
      .describe('bwrap (default): user commands in bubblewrap; off: unconfined, by the operator’s choice'),
    root: z.string().max(4096).optional(),
    labels: z.record(z.string().max(63), z.string().max(253)).optional(),
  })
  .strict();

/** Optional: a check without a body only reads. */
const CheckTarget = z
  .object({
    trust_host_key: z.boolean().optional().describe('pin the host key presented if none is pinned yet'),
  })
  .strict()
  .nullish();

export function targetRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const named = (req: { params: unknown }) => [(req.params as { name: string }).name];

  r.get(
    '/api/v1/targets',
    {
      schema: {
        tags: ['targets'],
        summary: 'Targets in the key’s scope',
        response: { 200: json(TargetListSchema, 'The targets'), ...errors(...KEYED) },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const principal = principalOf(request);
      const stored = (await ctx.orch.store.targets.list()).filter((t) => inScope(principal, t.name));
      return {
        items: [
          ...(inScope(principal, LOCAL_TARGET)
            ? [localTargetView(ctx.orch.environment, ctx.orch.localPolicy.profile)]
            : []),
          ...stored.map(targetView),
        ],
      };
    },
  );

  r.get(
    '/api/v1/targets/:name',
    {
      schema: {
        params: TargetParams,
        tags: ['targets'],
        summary: 'One target (never its key)',
        response: { 200: json(TargetItemSchema, 'The target'), ...errors(...KEYED, ...PARAMS, 404) },
      },
      config: { access: { action: 'read', targets: named } },
    },
    async (request) =>
      request.params.name === LOCAL_TARGET
        ? localTargetView(ctx.orch.environment, ctx.orch.localPolicy.profile)
        : targetView(await ctx.orch.store.targets.get(request.params.name)),
  );

  r.post(
    '/api/v1/targets',
    {
      schema: {
        body: CreateTarget,
        tags: ['targets'],
        summary: 'Register an SSH target',
        response: {
          201: json(TargetViewSchema, 'Registered'),
          // 409: the name is taken; 502/504: trust_host_key connects to read the host key.
          ...errors(...KEYED, ...BODY, ...REMOTE, 409),
        },
      },
      config: {
        access: { action: 'targets.write', targets: (req) => [(req.body as { name: string }).name] },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const target = await addTarget(
        ctx.orch,
        {
          name: b.name,
          host: b.host,
          ...(b.port === undefined ? {} : { port: b.port }),
          ...(b.user === undefined ? {} : { user: b.user }),
          ...(b.private_key === undefined ? {} : { privateKey: b.private_key }),
          agent: b.agent === true,
          trustHostKey: b.trust_host_key === true,
          ...(b.fingerprint === undefined ? {} : { fingerprint: b.fingerprint }),
          ...(b.policy === undefined ? {} : { policy: b.policy }),
          ...(b.sandbox === undefined ? {} : { sandbox: b.sandbox }),
          ...(b.root === undefined ? {} : { root: b.root }),
          labels: b.labels ?? {},
        },
        actorOf(request),
      );
      return reply.status(201).send(targetView(target));
    },
  );

  r.delete(
    '/api/v1/targets/:name',
    {
      schema: {
        params: TargetParams,
        tags: ['targets'],
        summary: 'Remove a target and its stored key',
        response: { 204: empty('Removed'), ...errors(...KEYED, ...PARAMS, 404) },
      },
      config: { access: { action: 'targets.write', targets: named } },
    },
    async (request, reply) => {
      await removeTarget(ctx.orch, request.params.name, actorOf(request));
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/v1/targets/:name/check',
    {
      schema: {
        params: TargetParams,
        body: CheckTarget,
        tags: ['targets'],
        summary: 'Connect and report the host’s facts',
        response: {
          200: json(TargetReportSchema, 'The host’s facts'),
          ...errors(...KEYED, ...PARAMS, ...BODY, ...REMOTE, 404),
        },
      },
      // It runs (read-only, policy-checked) commands on the host: not for viewers.
      config: { access: { action: 'plan', targets: named } },
    },
    async (request) => {
      const trustHostKey = request.body?.trust_host_key === true;
      // Pinning a host key changes the target.
      if (trustHostKey) await requireAccess(ctx.orch, request, 'targets.write', [request.params.name]);
      return probeTarget(ctx.orch, request.params.name, actorOf(request), { trustHostKey });
    },
  );
}
