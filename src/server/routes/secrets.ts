import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AppNameSchema,
  listAppSecrets,
  removeAppSecret,
  SecretNameSchema,
  SecretValueSchema,
  setAppSecret,
} from '../../engine/index.js';
import { actorOf, type ServerContext } from '../context.js';
import { BODY, empty, errors, json, KEYED, PARAMS, SecretNamesSchema } from '../schemas/index.js';
import { requireApp } from './apps.js';

// The engine's schemas, the same the CLI checks with: no `../../etc`, no `/`, no control byte.
const SecretParams = z.object({ app: AppNameSchema, name: SecretNameSchema }).strict();
const AppOnly = z.object({ app: AppNameSchema }).strict();
const SecretValue = z.object({ value: SecretValueSchema }).strict();

/** Secret values go in and never come out: there is no route that reads one. */
export function secretRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/apps/:app/secrets',
    {
      schema: {
        params: AppOnly,
        tags: ['secrets'],
        summary: 'Secret names of an app (never values)',
        response: { 200: json(SecretNamesSchema, 'The names'), ...errors(...KEYED, ...PARAMS) },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      await requireApp(ctx, request, request.params.app, 'read');
      return { app: request.params.app, names: await listAppSecrets(ctx.orch, request.params.app) };
    },
  );

  r.put(
    '/api/v1/apps/:app/secrets/:name',
    {
      schema: {
        params: SecretParams,
        body: SecretValue,
        tags: ['secrets'],
        summary: 'Store a secret (encrypted; write-only)',
        response: { 204: empty('Stored'), ...errors(...KEYED, ...PARAMS, ...BODY) },
      },
      config: { access: { action: 'secrets.write' } },
    },
    async (request, reply) => {
      await requireApp(ctx, request, request.params.app, 'secrets.write');
      await setAppSecret(
        ctx.orch,
        request.params.app,
        request.params.name,
        request.body.value,
        actorOf(request),
      );
      return reply.status(204).send();
    },
  );

  r.delete(
    '/api/v1/apps/:app/secrets/:name',
    {
      schema: {
        params: SecretParams,
        tags: ['secrets'],
        summary: 'Remove a secret',
        response: { 204: empty('Removed'), ...errors(...KEYED, ...PARAMS, 404) },
      },
      config: { access: { action: 'secrets.write' } },
    },
    async (request, reply) => {
      await requireApp(ctx, request, request.params.app, 'secrets.write');
      await removeAppSecret(ctx.orch, request.params.app, request.params.name, actorOf(request));
      return reply.status(204).send();
    },
  );
}
