import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AutomatosError } from '../../core/index.js';
import { RequirementSchema, type Requirement } from '../../agents/index.js';
import { LOCAL_TARGET, logChunkView, ReviewViewSchema, stopWorkflow } from '../../engine/index.js';
import type { DeployRequest } from '../../engine/index.js';
import { WORKFLOW_STATUSES } from '../../store/index.js';
import type { StepRecord, Workflow } from '../../store/index.js';
import { principalOf, requireAccess } from '../auth/access.js';
import { actorOf, allInScope, NameSchema, type ServerContext } from '../context.js';
import {
  BODY,
  DecisionBodySchema,
  errors,
  json,
  KEYED,
  PARAMS,
  StoppedSchema,
  SubmittedSchema,
  WorkflowDetailSchema,
  WorkflowListSchema,
  type TargetResultStatus,
  type WorkflowView,
} from '../schemas/index.js';
import { checkSource } from './source.js';

const TargetName = z.union([NameSchema, z.literal(LOCAL_TARGET)]);

export const StartWorkflowSchema = z
  .object({
    repository_url: z.string().min(1).max(2048).describe('git URL (https://, ssh://, user@host:path)'),
    ref: z.string().min(1).max(255).optional().describe('branch, tag or commit'),
    target: TargetName.optional(),
    targets: z.array(TargetName).min(1).max(64).optional(),
    environment_variables: z.record(z.string().max(256), z.string().max(65_536)).optional(),
    task_prompt: z
      .string()
      .max(20_000)
      .optional()
      .describe(
        'tier 2: what to deploy and how, in words; the configured planner writes the manifest (refused for a repository with ai-module.yaml)',
      ),
    port: z.number().int().min(1).max(65_535).optional(),
    batch: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
type StartWorkflow = z.infer<typeof StartWorkflowSchema>;

const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();

const ListQuery = z
  .object({
    status: z.enum(WORKFLOW_STATUSES).optional(),
    app: z.string().max(63).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

const targetsOf = (body: StartWorkflow): string[] => [
  ...new Set([...(body.target === undefined ? [] : [body.target]), ...(body.targets ?? [])]),
];

function checkUnsupported(body: StartWorkflow): void {
  if (body.environment_variables !== undefined && Object.keys(body.environment_variables).length > 0) {
    throw new AutomatosError(
      'AUT_PLAN_UNSUPPORTED',
      'environment_variables on a deploy request are not supported yet: put them in the manifest’s ' +
        'environment_variables, or store secrets with PUT /api/v1/apps/{app}/secrets/{name}',
      { details: { field: 'environment_variables' } },
    );
  }
}

/** Where the release answers: the target's address and the manifest's port. */
async function endpointOf(ctx: ServerContext, w: Workflow, target: string): Promise<string | null> {
  const module = (w.plan as { module?: { port?: unknown } } | null)?.module;
  if (typeof module?.port !== 'number') return null;
  const host =
    target === LOCAL_TARGET ? '127.0.0.1' : ((await ctx.orch.store.targets.find(target))?.host ?? target);
  return `http://${host}:${module.port}/`;
}

function targetStatus(steps: readonly StepRecord[]): TargetResultStatus {
  if (steps.some((s) => s.status === 'failed')) return 'failed';
  if (steps.some((s) => s.status === 'running')) return 'running';
  if (steps.some((s) => s.status === 'cancelled')) return 'cancelled';
  if (steps.length > 0 && steps.every((s) => s.status === 'succeeded' || s.status === 'skipped'))
    return 'succeeded';
  return 'pending';
}

export const workflowJson = (w: Workflow): WorkflowView => ({
  id: w.id,
  status: w.status,
  app: w.app,
  tier: w.tier,
  source: w.source,
  ref: w.ref,
  commit_sha: w.commitSha,
  targets: w.targets,
  requested_by: w.requestedBy,
  current_step: w.currentStep,
  release_id: w.releaseId,
  error: w.error,
  attempt: w.attempt,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
  started_at: w.startedAt,
  finished_at: w.finishedAt,
});

/** The workflow, or 404; 403 (audited) when one of its targets is outside the key's scope. */
export async function scopedWorkflow(
  ctx: ServerContext,
  request: FastifyRequest,
  id: string,
  action: 'read' | 'deploy' | 'approve',
) {
  const workflow = await ctx.orch.store.workflows.get(id);
  await requireAccess(ctx.orch, request, action, workflow.targets);
  return workflow;
}

const LOG_TAIL = 50;

/** The recorded requirements; one that does not parse is shown as unreadable, never as a 500. */
function requirementsJson(recorded: unknown[] | null): Requirement[] | null {
  if (recorded === null) return null;
  return recorded.map((r) => {
    const parsed = RequirementSchema.safeParse(r);
    return parsed.success
      ? parsed.data
      : {
          text: 'a recorded requirement',
          status: 'unmet' as const,
          why: 'its stored record could not be read',
        };
  });
}

/** What a planner, the review and the diagnoser recorded on the workflow. */
async function tier2Json(ctx: ServerContext, w: Workflow) {
  const fixes = await ctx.orch.store.fixes.list(w.id);
  return {
    task_prompt: w.taskPrompt,
    requirements: requirementsJson(w.requirements),
    planner: w.agent,
    usage: { input_tokens: w.usage.inputTokens, output_tokens: w.usage.outputTokens },
    review:
      w.review === null
        ? null
        : { verdict: w.review.verdict, findings: ReviewViewSchema.shape.findings.parse(w.review.findings) },
    approval:
      w.approval === null
        ? null
        : { decision: w.approval.decision, by: w.approval.by, at: w.approval.at, reason: w.approval.reason },
    fixes: fixes.map((f) => ({
      attempt: f.attempt,
      step: f.step,
      target: f.target,
      reason: f.reason,
      fix: f.fix === null ? null : (f.fix as Record<string, unknown>),
      verdict: f.verdict,
      applied: f.applied,
      at: f.at,
    })),
  };
}

export function workflowRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/workflow',
    {
      schema: {
        body: StartWorkflowSchema,
        tags: ['workflows'],
        summary: 'Start a deployment (queued, 202)',
        response: {
          202: json(SubmittedSchema, 'Queued: follow it at links.events'),
          // 404: an unknown target; 422: an unusable source, manifest or secrets (nothing is queued);
          // 409: the server is shutting down; 502/504: the configured LLM planner failed or timed out.
          ...errors(...KEYED, ...BODY, 404, 409, 422, 502, 504),
        },
      },
      config: { access: { action: 'deploy', targets: (req) => targetsOf(req.body as StartWorkflow) } },
    },
    async (request, reply) => {
      const body = request.body;
      const targets = targetsOf(body);
      if (targets.length === 0) {
        throw new AutomatosError('AUT_INVALID_INPUT', 'give target or targets', {
          details: { field: 'target' },
        });
      }
      checkUnsupported(body);
      checkSource(ctx, body.repository_url);
      const deploy: DeployRequest = {
        source: body.repository_url,
        targets,
        dataDir: ctx.orch.dataDir,
        ...(body.ref === undefined ? {} : { ref: body.ref }),
        ...(body.port === undefined ? {} : { port: body.port }),
        ...(body.batch === undefined ? {} : { batch: body.batch }),
        ...(body.task_prompt === undefined ? {} : { prompt: body.task_prompt, env: ctx.env }),
      };
      const submitted = await ctx.engine.submit(deploy, actorOf(request));
      // The outcome is on the workflow record; nobody awaits it here.
      submitted.outcome.catch(() => undefined);
      return reply.status(202).send({
        workflow_id: submitted.workflowId,
        app: submitted.app,
        release_id: submitted.releaseId,
        targets: submitted.targets,
        status: 'queued' as const,
        links: {
          self: `/workflows/${submitted.workflowId}`,
          events: `/workflows/${submitted.workflowId}/events`,
        },
      });
    },
  );

  r.get(
    '/workflows',
    {
      schema: {
        querystring: ListQuery,
        tags: ['workflows'],
        summary: 'List workflows, newest first',
        response: { 200: json(WorkflowListSchema, 'A page of workflows'), ...errors(...KEYED, 400) },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const { status, app: appName, limit, offset } = request.query;
      const principal = principalOf(request);
      const query = {
        ...(status === undefined ? {} : { status }),
        ...(appName === undefined ? {} : { app: appName }),
      };
      if (principal.targets === null) {
        const items = await ctx.orch.store.workflows.list({ ...query, limit, offset });
        return { items: items.map(workflowJson), limit, offset };
      }
      // Scoped keys: filter, then page over what they may see (scanned in pages of the store).
      const visible: Workflow[] = [];
      for (let from = 0; visible.length < offset + limit; from += 500) {
        const page = await ctx.orch.store.workflows.list({ ...query, limit: 500, offset: from });
        visible.push(...page.filter((w) => allInScope(principal, w.targets)));
        if (page.length < 500) break;
      }
      return { items: visible.slice(offset, offset + limit).map(workflowJson), limit, offset };
    },
  );

  r.get(
    '/workflows/:id',
    {
      schema: {
        params: IdParams,
        tags: ['workflows'],
        summary: 'A workflow: steps, per-target results, log tail',
        response: {
          200: json(WorkflowDetailSchema, 'The workflow'),
          ...errors(...KEYED, ...PARAMS, 404),
        },
      },
      config: { access: { action: 'read' } },
    },
    async (request) => {
      const w = await scopedWorkflow(ctx, request, request.params.id, 'read');
      const steps = await ctx.orch.store.steps.list(w.id);
      const tail = await ctx.orch.store.logs.tail(w.id, LOG_TAIL);
      const releases = await ctx.orch.store.apps.releases.list(w.app).catch(() => []);
      const results = await Promise.all(
        w.targets.map(async (target) => {
          const own = steps.filter((s) => s.target === target);
          const serving = releases.find((rel) => rel.target === target && rel.status === 'active');
          return {
            target,
            status: targetStatus(own),
            serving_release: serving?.releaseId ?? null,
            endpoint: await endpointOf(ctx, w, target),
          };
        }),
      );
      return {
        ...workflowJson(w),
        steps: steps.map((s) => ({
          target: s.target,
          step: s.step,
          status: s.status,
          started_at: s.startedAt,
          finished_at: s.finishedAt,
          exit_code: s.exitCode,
          error: s.error,
        })),
        results,
        log_tail: tail.map(logChunkView),
        ...(await tier2Json(ctx, w)),
      };
    },
  );

  r.delete(
    '/workflows/:id',
    {
      schema: {
        params: IdParams,
        tags: ['workflows'],
        summary: 'Stop (cancel) a queued or running workflow',
        response: {
          202: json(StoppedSchema, 'Stop requested'),
          // 409: it has already finished.
          ...errors(...KEYED, ...PARAMS, 404, 409),
        },
      },
      config: { access: { action: 'deploy' } },
    },
    async (request, reply) => {
      await scopedWorkflow(ctx, request, request.params.id, 'deploy');
      const stopped = await stopWorkflow(ctx.orch, request.params.id, actorOf(request));
      return reply
        .status(202)
        .send({ ...workflowJson(stopped), message: 'stop requested; the previous release keeps serving' });
    },
  );

  r.post(
    '/workflows/:id/approve',
    {
      schema: {
        params: IdParams,
        body: DecisionBodySchema,
        tags: ['workflows'],
        summary: 'Approve a plan the review parked: it is queued and runs (reviewed again first)',
        response: {
          202: json(StoppedSchema, 'Approved and queued'),
          // 409: it is not awaiting approval; 403 also when the policy denied the plan.
          ...errors(...KEYED, ...PARAMS, ...BODY, 404, 409),
        },
      },
      config: { access: { action: 'approve' } },
    },
    async (request, reply) => {
      await scopedWorkflow(ctx, request, request.params.id, 'approve');
      const { workflow, run } = await ctx.engine.approve(request.params.id, actorOf(request));
      // The outcome is on the workflow record; nobody awaits it here.
      run?.outcome.catch(() => undefined);
      return reply.status(202).send({ ...workflowJson(workflow), message: 'approved; it runs now' });
    },
  );

  r.post(
    '/workflows/:id/reject',
    {
      schema: {
        params: IdParams,
        body: DecisionBodySchema,
        tags: ['workflows'],
        summary: 'Reject a plan the review parked: the workflow ends cancelled and nothing runs',
        response: {
          200: json(StoppedSchema, 'Rejected'),
          // 409: it is not awaiting approval.
          ...errors(...KEYED, ...PARAMS, ...BODY, 404, 409),
        },
      },
      config: { access: { action: 'approve' } },
    },
    async (request) => {
      await scopedWorkflow(ctx, request, request.params.id, 'approve');
      const rejected = await ctx.engine.reject(request.params.id, actorOf(request), request.body.reason);
      return { ...workflowJson(rejected), message: 'rejected; nothing ran' };
    },
  );
}
