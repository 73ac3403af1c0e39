import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AutomatosError } from '../../core/index.js';
import { FINISHED_STATUSES, logChunkView, stopWorkflow } from '../../engine/index.js';
import type { DeployRequest } from '../../engine/index.js';
import { WORKFLOW_STATUSES } from '../../store/index.js';
import type { LogChunk, Workflow } from '../../store/index.js';
import type { CallContext, McpDeps } from '../context.js';
import { ok } from '../result.js';
import { appName, gitRef, port, source, targetName, taskPrompt, workflowId } from '../schemas.js';
import { defineTool } from '../tool.js';

const LOG_PAGE = 1000;

/** The workflow as a caller sees it: its recorded plan (the whole manifest) is left to `plan`. */
function workflowJson(w: Workflow) {
  return {
    id: w.id,
    status: w.status,
    app: w.app,
    tier: w.tier,
    release_id: w.releaseId,
    source: w.source,
    ref: w.ref,
    commit: w.commitSha,
    targets: w.targets,
    requested_by: w.requestedBy,
    current_step: w.currentStep,
    error: w.error,
    attempt: w.attempt,
    created_at: w.createdAt,
    started_at: w.startedAt,
    finished_at: w.finishedAt,
  };
}

/** A workflow outside the caller's target scope does not exist for it (no probing by id). */
async function visibleWorkflow(call: CallContext, id: string): Promise<Workflow> {
  const w = await call.orch.store.workflows.find(id);
  if (w === undefined || !call.sees(w.targets)) {
    throw new AutomatosError('AUT_NOT_FOUND', `no workflow ${id}`, { details: { workflow: id } });
  }
  return w;
}

/** The last `n` chunks, read page by page so a long log is never held whole. */
async function logTail(call: CallContext, id: string, n: number): Promise<LogChunk[]> {
  if (n === 0) return [];
  let tail: LogChunk[] = [];
  let after = 0;
  for (;;) {
    const page = await call.orch.store.logs.list(id, { afterSeq: after, limit: LOG_PAGE });
    tail = [...tail, ...page].slice(-n);
    after = page.at(-1)?.seq ?? after;
    if (page.length < LOG_PAGE) return tail;
  }
}

const logLine = (c: LogChunk): string =>
  c.text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `[${c.target ?? '-'}] ${c.step ?? ''} | ${line}`)
    .join('\n');

export function registerWorkflowTools(server: McpServer, deps: McpDeps): void {
  defineTool(server, deps, {
    name: 'deploy',
    title: 'Deploy an app',
    description:
      'Deploy a directory or git URL to one or more targets: upload, prepare, build, test, release, verify, ' +
      'with automatic rollback when verification fails. The source is loaded and checked (manifest, secrets, ' +
      'targets) now; the deployment is then queued and runs in the background. Returns the workflow id at ' +
      'once: follow it with get_workflow, stop it with stop_workflow. With a prompt (tier 2) the plan may stop ' +
      'in awaiting_approval: an operator approves or rejects it; assistants cannot.',
    input: {
      source,
      targets: z.array(targetName).min(1).max(100).describe('the targets to deploy to'),
      ref: gitRef.optional(),
      port: port.optional(),
      prompt: taskPrompt.optional(),
      batch: z
        .number()
        .int()
        .min(1)
        .max(100)
        .optional()
        .describe('how many targets switch to the new release at once (default: all)'),
    },
    annotations: { destructiveHint: true, openWorldHint: true },
    run: async (args, call) => {
      const targets = [...new Set(args.targets)];
      await call.require('deploy', targets);
      call.deps.checkSource?.(args.source, 'source');
      await call.audit(targets.length === 1 ? (targets[0] ?? null) : null, {
        source: args.source,
        targets,
        ...(args.ref === undefined ? {} : { ref: args.ref }),
        ...(args.port === undefined ? {} : { port: args.port }),
        // The prompt itself is stored redacted on the workflow; the audit record keeps its size only.
        ...(args.prompt === undefined ? {} : { prompt_chars: args.prompt.length }),
      });
      const request: DeployRequest = {
        source: args.source,
        targets,
        dataDir: call.orch.dataDir,
        cwd: call.deps.cwd,
        ...(args.ref === undefined ? {} : { ref: args.ref }),
        ...(args.port === undefined ? {} : { port: args.port }),
        ...(args.batch === undefined ? {} : { batch: args.batch }),
        ...(args.prompt === undefined ? {} : { prompt: args.prompt, env: call.deps.env }),
      };
      const submitted = await call.deps.engine.submit(request, call.actor, call.deps.signal);
      // The call returns now; how the deployment ends is on its workflow record. Nobody awaits the
      // outcome here, so its failure must not become an unhandled rejection that kills the server.
      const log = call.deps.log ?? (() => undefined);
      submitted.outcome.then(
        (outcome) => log(`workflow ${outcome.workflowId} (${outcome.app}): ${outcome.status}`),
        (error: unknown) =>
          log(
            `workflow ${submitted.workflowId} (${submitted.app}): failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
      const { status } = await call.orch.store.workflows.get(submitted.workflowId);
      return ok(
        `${submitted.app} release ${submitted.releaseId} to ${submitted.targets.join(', ')}: ${status} as ` +
          `workflow ${submitted.workflowId}. Follow it with get_workflow.`,
        {
          workflow_id: submitted.workflowId,
          app: submitted.app,
          release_id: submitted.releaseId,
          targets: submitted.targets,
          status,
        },
      );
    },
  });

  defineTool(server, deps, {
    name: 'list_workflows',
    title: 'List workflows',
    description: 'Deployments and rollbacks, newest first, with their status; filter by status and app.',
    input: {
      status: z.enum(WORKFLOW_STATUSES).optional().describe('only this status'),
      app: appName.optional(),
      limit: z.number().int().min(1).max(200).default(20).describe('how many (default 20)'),
      offset: z.number().int().min(0).max(1_000_000).default(0).describe('skip this many (paging)'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ status, app, limit, offset }, call) => {
      await call.require('read');
      const listed = await call.orch.store.workflows.list({
        limit,
        offset,
        ...(status === undefined ? {} : { status }),
        ...(app === undefined ? {} : { app }),
      });
      // Scoped callers see only workflows wholly on their targets (a page may then hold fewer).
      const workflows = listed.filter((w) => call.sees(w.targets)).map(workflowJson);
      const text =
        workflows.length === 0
          ? 'no workflows'
          : workflows
              .map((w) => `${w.id} ${w.status} ${w.app} → ${w.targets.join(',')} (${w.created_at})`)
              .join('\n');
      return ok(text, { workflows });
    },
  });

  defineTool(server, deps, {
    name: 'get_workflow',
    title: 'Show a workflow',
    description:
      'One workflow: its status, error, each step per target, and the tail of its log (secrets are redacted). ' +
      'Poll it to follow a deployment until its status is succeeded, failed, rolled_back or cancelled.',
    input: {
      id: workflowId,
      log_lines: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .default(50)
        .describe('how many of the last log chunks to include (default 50)'),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ id, log_lines: logLines }, call) => {
      await call.require('read');
      const w = await visibleWorkflow(call, id);
      const steps = await call.orch.store.steps.list(id);
      const log = await logTail(call, id, logLines);
      const finished = FINISHED_STATUSES.includes(w.status);
      const fixes = await call.orch.store.fixes.list(id);
      const text = [
        `workflow ${w.id}: ${w.status} (${w.app} → ${w.targets.join(', ')})${w.error === null ? '' : `\nerror: ${w.error}`}`,
        ...(w.status === 'awaiting_approval'
          ? [
              'waiting for an operator to approve or reject the plan (`automatos workflows approve|reject ID`)',
            ]
          : []),
        ...(w.review === null ? [] : [`review: ${w.review.verdict}, ${w.review.findings.length} finding(s)`]),
        ...fixes.map((f) => `  fix ${f.attempt} after ${f.target} ${f.step}: ${f.reason.split('\n')[0]}`),
        ...steps.map(
          (s) =>
            `  ${s.target} ${s.step}: ${s.status}${s.error === null ? '' : `: ${s.error.split('\n')[0]}`}`,
        ),
        ...(log.length === 0 ? [] : ['log (tail):', ...log.map(logLine)]),
      ].join('\n');
      return ok(text, {
        ...workflowJson(w),
        finished,
        steps: steps.map((s) => ({
          target: s.target,
          step: s.step,
          status: s.status,
          error: s.error,
          started_at: s.startedAt,
          finished_at: s.finishedAt,
        })),
        log: log.map(logChunkView),
        task_prompt: w.taskPrompt,
        requirements: w.requirements,
        planner: w.agent,
        usage: { input_tokens: w.usage.inputTokens, output_tokens: w.usage.outputTokens },
        review: w.review,
        approval: w.approval,
        fixes: fixes.map((f) => ({
          attempt: f.attempt,
          step: f.step,
          target: f.target,
          reason: f.reason,
          fix: f.fix,
          verdict: f.verdict,
          applied: f.applied,
        })),
      });
    },
  });

  defineTool(server, deps, {
    name: 'stop_workflow',
    title: 'Stop a workflow',
    description:
      'Stop a queued or running deployment. The process running it stops its command within a second and ' +
      'the previous release keeps serving (or is put back).',
    input: { id: workflowId },
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    run: async ({ id }, call) => {
      const w = await visibleWorkflow(call, id);
      await call.require('deploy', w.targets);
      if (FINISHED_STATUSES.includes(w.status)) {
        throw new AutomatosError(
          'AUT_CONFLICT',
          `workflow ${id} already finished (${w.status}); nothing to stop`,
          {
            details: { workflow: id, status: w.status },
          },
        );
      }
      await call.audit(w.targets.length === 1 ? (w.targets[0] ?? null) : null, { workflow: id, app: w.app });
      // The one implementation the CLI and the API use too (it audits `workflow.stop`).
      await stopWorkflow(call.orch, id, call.actor);
      return ok(`stop requested for ${id}: it stops within a second and the previous release keeps serving`, {
        workflow_id: id,
        status: 'cancelled',
        was: w.status,
      });
    },
  });
}
