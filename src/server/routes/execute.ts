import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOCAL_TARGET, runExec, runResultView } from '../../engine/index.js';
import { PROFILES } from '../../policy/index.js';
import { actorOf, NameSchema, type ServerContext } from '../context.js';
import { BODY, errors, ExecuteResultSchema, json, KEYED, REMOTE } from '../schemas/index.js';

export const ExecuteSchema = z
  .object({
    target: z.union([NameSchema, z.literal(LOCAL_TARGET)]),
    command: z.string().min(1).max(16_384),
    timeout: z.number().min(0.1).max(3600).default(60).describe('seconds'),
    working_directory: z.string().min(1).max(4096).regex(/^\//, 'must be an absolute path').default('/'),
    environment_variables: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
          .max(256),
        z.string().max(65_536),
      )
      .default({}),
    security_level: z.enum(PROFILES).optional().describe('may only tighten the target’s policy profile'),
  })
  .strict();

/** `POST /execute`: one command through the guarded executor, exactly like `automatos exec`. */
export function executeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/execute',
    {
      schema: {
        body: ExecuteSchema,
        tags: ['execute'],
        summary: 'Run one command on a target through the policy',
        response: {
          200: json(ExecuteResultSchema, 'It ran: its exit code, output tails and timing'),
          // 403 also when the policy denies the command (details.rule): it never ran. 404: an unknown
          // target; 422: an invalid policy file stops every command.
          ...errors(...KEYED, ...BODY, ...REMOTE, 404, 422),
        },
      },
      config: {
        access: {
          action: 'execute',
          execute: true,
          targets: (req) => [(req.body as { target: string }).target],
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      // The client going away cancels the command (the remote process group is stopped).
      const abort = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableEnded) abort.abort();
      };
      reply.raw.once('close', onClose);
      try {
        // Control bytes, a looser security_level, the policy: refused by the engine (400, 403).
        const outcome = await runExec(ctx.orch, {
          target: body.target,
          command: body.command,
          cwd: body.working_directory,
          env: body.environment_variables,
          timeoutMs: Math.round(body.timeout * 1000),
          signal: abort.signal,
          ...(body.security_level === undefined ? {} : { profile: body.security_level }),
          actor: actorOf(request),
        });
        return {
          target: body.target,
          profile: outcome.profile,
          ...runResultView(outcome.result),
        };
      } finally {
        reply.raw.removeListener('close', onClose);
      }
    },
  );
}
