import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOCAL_TARGET, rollbackApp } from '../../engine/index.js';
import { inScope, type Action } from '../../security/index.js';
import { principalOf, requireAccess } from '../auth/access.js';
import { actorOf, NameSchema, type ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import {
  AppDetailSchema,
  AppListSchema,
  BODY,
  errors,
  json,
  KEYED,
  PARAMS,
  REMOTE,
  RollbackResultSchema,
} from '../schemas/index.js';

export const AppParams = z.object({ app: NameSchema }).strict();
const Rollback = z
  .object({
    target: z.union([NameSchema, z.literal(LOCAL_TARGET)]),
    to: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._-]+$/)
      .optional(),
  })
  .strict();

/**
 * An app spans the targets it was deployed to. A key scoped to some targets acts on an app only
 * when every target it runs on is in scope (403 otherwise, audited); unscoped keys need the role only.
 */
export async function requireApp(
  ctx: ServerContext,
  request: FastifyRequest,
  app: string,
  action: Action,
): Promise<void> {
  const principal = principalOf(request);
  if (principal.targets === null) return;
  const targets = [...new Set((await ctx.orch.store.apps.releases.list(app)).map((r) => r.target))];
  if (targets.length === 0) {
    // Nothing ties the app to this key's targets: only an unscoped key may act on it.
    await ctx.orch.audit.append({
      principal: principal.id,
      source: 'api',
      action: 'auth.denied',
      details: { ip: request.ip, method: request.method, route: request.routeOptions.url, want: action, app },
    });
    throw new HttpError(403, 'AUT_FORBIDDEN', `app ${app} runs on no target in this key's scope`, { app });
  }
  await requireAccess(ctx.orch, request, action, targets);
}

export function appRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Apps with a release on a target in scope',
        response: { 200: json(AppListSchema, 'The apps'), ...errors(...KEYED) },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const principal = principalOf(request);
      const items = [];
      for (const a of await ctx.orch.store.apps.list()) {
        const releases = await ctx.orch.store.apps.releases.list(a.name);
        const targets = [...new Set(releases.map((rel) => rel.target))];
        if (
          principal.targets !== null &&
          (targets.length === 0 || !targets.every((t) => inScope(principal, t)))
        )
          continue;
        items.push({
          name: a.name,
          targets,
          serving: releases
            .filter((rel) => rel.status === 'active')
            .map((rel) => ({ target: rel.target, release_id: rel.releaseId })),
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        });
      }
      return { items };
    },
  );

  r.get(
    '/api/v1/apps/:app',
    {
      schema: {
        params: AppParams,
        tags: ['apps'],
        summary: 'Releases per target, health history and alerts',
        response: { 200: json(AppDetailSchema, 'The app'), ...errors(...KEYED, ...PARAMS, 404) },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const name = request.params.app;
      await ctx.orch.store.apps.get(name);
      await requireApp(ctx, request, name, 'read');
      return {
        app: name,
        releases: await ctx.orch.store.apps.releases.list(name),
        health: await ctx.orch.store.health.list(name, { limit: 100 }),
        alerts: await ctx.orch.store.alerts.list({ app: name, limit: 100 }),
      };
    },
  );

  r.post(
    '/api/v1/apps/:app/rollback',
    {
      schema: {
        params: AppParams,
        body: Rollback,
        tags: ['apps'],
        summary: 'Switch back to an earlier release and verify it',
        response: {
          200: json(RollbackResultSchema, 'Switched back and verified'),
          // 409: another deployment of the app holds the target; 422: nothing to go back to, or the
          // release it went back to failed its health check.
          ...errors(...KEYED, ...PARAMS, ...BODY, ...REMOTE, 404, 409, 422),
        },
      },
      config: { access: { action: 'rollback', targets: (req) => [(req.body as { target: string }).target] } },
    },
    async (request) => {
      const { app: name } = request.params;
      await ctx.orch.store.apps.get(name);
      const outcome = await rollbackApp(
        ctx.orch,
        {
          app: name,
          target: request.body.target,
          ...(request.body.to === undefined ? {} : { to: request.body.to }),
        },
        actorOf(request),
      );
      return {
        workflow_id: outcome.workflowId,
        app: outcome.app,
        target: outcome.target,
        from: outcome.from,
        to: outcome.to,
      };
    },
  );
}
