import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  LOCAL_TARGET,
  planDeployment,
  planView,
  PlanViewSchema,
  targetFacts,
  reviewPlanned,
} from '../../engine/index.js';
import { MODULE_TYPES, parseManifest, renderManifest, templateFor } from '../../manifest/index.js';
import type { ManifestIssue } from '../../manifest/index.js';
import { PROFILES } from '../../policy/index.js';
import { actorOf, NameSchema, type ServerContext } from '../context.js';
import {
  BODY,
  errors,
  json,
  KEYED,
  ManifestValidationSchema,
  PARAMS,
  PolicyCheckResultSchema,
  REMOTE,
  TemplateSchema,
} from '../schemas/index.js';
import { checkSource } from './source.js';

const PolicyCheck = z
  .object({
    command: z.string().min(1).max(16_384),
    profile: z.enum(PROFILES).optional(),
    cwd: z.string().min(1).max(4096).regex(/^\//, 'must be an absolute path').default('/'),
    writable_roots: z
      .array(z.string().min(1).max(4096).regex(/^\//, 'must be an absolute path'))
      .max(64)
      .optional(),
  })
  .strict();

const Validate = z
  .object({
    content: z
      .string()
      .max(256 * 1024)
      .describe('the ai-module.yaml text'),
    file: z.string().max(255).optional(),
  })
  .strict();

const TemplateParams = z.object({ module_type: z.enum(MODULE_TYPES) }).strict();

const Plan = z
  .object({
    repository_url: z.string().min(1).max(2048),
    ref: z.string().min(1).max(255).optional(),
    target: z.union([NameSchema, z.literal(LOCAL_TARGET)]).default(LOCAL_TARGET),
    port: z.number().int().min(1).max(65_535).optional(),
    task_prompt: z
      .string()
      .max(20_000)
      .optional()
      .describe('tier 2: plan from this prompt with the configured planner (as POST /workflow would)'),
  })
  .strict();

const issueJson = (i: ManifestIssue) => ({
  path: i.path,
  line: i.line,
  column: i.column,
  code: i.code,
  message: i.message,
});

/** Read-only helpers: policy check, manifest validation and templates, dry-run plans. */
export function toolRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/policy/check',
    {
      schema: {
        body: PolicyCheck,
        tags: ['tools'],
        summary: 'Check a command against the policy (runs nothing)',
        response: {
          200: json(PolicyCheckResultSchema, 'The decision, allow or deny (200 either way)'),
          ...errors(...KEYED, ...BODY),
        },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const b = request.body;
      const d = await ctx.policy.check(b.command, {
        cwd: b.cwd,
        ...(b.profile === undefined ? {} : { profile: b.profile }),
        ...(b.writable_roots === undefined ? {} : { writableRoots: b.writable_roots }),
      });
      return {
        allowed: d.allowed,
        decision: d.decision,
        profile: d.profile,
        rule: d.rule,
        reason: d.reason,
        risk: d.risk,
        command: d.command,
        commands: d.commands,
        ...(d.wouldDeny === undefined ? {} : { would_deny: d.wouldDeny }),
      };
    },
  );

  r.post(
    '/api/v1/manifests/validate',
    {
      schema: {
        body: Validate,
        tags: ['tools'],
        summary: 'Validate ai-module.yaml text',
        response: {
          200: json(ManifestValidationSchema, 'Every problem with its position (200 valid or not)'),
          ...errors(...KEYED, ...BODY),
        },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const result = parseManifest(request.body.content, request.body.file ?? 'ai-module.yaml');
      return {
        valid: result.value !== null,
        errors: result.errors.map(issueJson),
        warnings: result.warnings.map(issueJson),
        module: result.value,
      };
    },
  );

  r.get(
    '/api/v1/templates/:module_type',
    {
      schema: {
        params: TemplateParams,
        tags: ['tools'],
        summary: 'A commented ai-module.yaml for a module type',
        response: { 200: json(TemplateSchema, 'The template'), ...errors(...KEYED, ...PARAMS) },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => ({
      module_type: request.params.module_type,
      yaml: renderManifest(templateFor(request.params.module_type)),
    }),
  );

  r.post(
    '/api/v1/plan',
    {
      schema: {
        body: Plan,
        tags: ['tools'],
        summary: 'Dry run: the steps and exact commands, nothing runs',
        response: {
          200: json(PlanViewSchema, 'The plan'),
          // 404: an unknown target; 422: an unusable source or manifest; 502/504: an SSH target is
          // probed (read-only) for the facts the plan depends on.
          ...errors(...KEYED, ...BODY, ...REMOTE, 404, 422),
        },
      },
      config: { access: { action: 'plan', targets: (req) => [(req.body as { target: string }).target] } },
    },
    async (request) => {
      const b = request.body;
      checkSource(ctx, b.repository_url);
      const plan = {
        source: b.repository_url,
        dataDir: ctx.orch.dataDir,
        ...(b.ref === undefined ? {} : { ref: b.ref }),
        ...(b.port === undefined ? {} : { port: b.port }),
        ...(b.task_prompt === undefined ? {} : { prompt: b.task_prompt, env: ctx.env }),
      };
      // An SSH target's facts come from a read-only probe through the guard, like `automatos plan`.
      const result =
        b.target === LOCAL_TARGET
          ? await planDeployment(plan)
          : await planDeployment(plan, await targetFacts(ctx.orch, b.target, actorOf(request)));
      // Every command judged by the policy the guard would apply on that target; nothing runs.
      const target = await ctx.orch.target(b.target);
      return planView(result, await reviewPlanned(result, { policy: ctx.orch.policy, target }));
    },
  );
}
