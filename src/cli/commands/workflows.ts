import { setTimeout as delay } from 'node:timers/promises';
import { AutomatosError } from '../../core/index.js';
import { cliActor, resumeWorkflows, stopWorkflow } from '../../engine/index.js';
import { plainView } from '../live/plain.js';
import { WORKFLOW_STATUSES } from '../../store/index.js';
import type { LogChunk, StepRecord, WorkflowStatus } from '../../store/index.js';
import type { CommandContext } from '../context.js';
import { tier2Lines } from '../format/workflow-tier2.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import * as remote from '../remote/index.js';

const FINISHED: readonly WorkflowStatus[] = ['succeeded', 'failed', 'cancelled', 'rolled_back'];
/** `--follow` stops here too: a parked workflow writes nothing until someone approves it. */
const PAUSED: readonly WorkflowStatus[] = [...FINISHED, 'awaiting_approval'];

export interface WorkflowsListOptions {
  status?: string;
  app?: string;
  limit?: string;
  json?: boolean;
}

export async function workflowsListCommand(ctx: CommandContext, opts: WorkflowsListOptions): Promise<number> {
  if (opts.status !== undefined && !(WORKFLOW_STATUSES as readonly string[]).includes(opts.status)) {
    throw new AutomatosError('AUT_USAGE', `--status must be one of ${WORKFLOW_STATUSES.join(', ')}`);
  }
  const limit = opts.limit === undefined ? 20 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new AutomatosError('AUT_USAGE', '--limit must be a positive integer');
  const query = {
    limit,
    ...(opts.status === undefined ? {} : { status: opts.status as WorkflowStatus }),
    ...(opts.app === undefined ? {} : { app: opts.app }),
  };
  const client = remote.remoteClient(ctx);
  const workflows =
    client === null
      ? await withOrchestrator(ctx, (orch) => orch.store.workflows.list(query))
      : await remote.listWorkflows(client, query);
  if (opts.json === true) {
    printJson(ctx.io, workflows);
    return 0;
  }
  ctx.io.out('ID                        STATUS        APP                 TARGETS           CREATED\n');
  for (const w of workflows) {
    ctx.io.out(
      `${w.id.padEnd(25)} ${w.status.padEnd(13)} ${w.app.padEnd(19)} ${w.targets.join(',').padEnd(17)} ${w.createdAt}\n`,
    );
  }
  return 0;
}

function formatWorkflow(
  w: remote.WorkflowRecord,
  steps: readonly Pick<StepRecord, 'target' | 'step' | 'status' | 'error'>[],
  tier2: readonly string[] = [],
): string {
  const lines = [
    `workflow ${w.id}: ${w.status}`,
    `  app        ${w.app}`,
    `  release    ${w.releaseId ?? '-'}`,
    `  source     ${w.source}${w.ref === null ? '' : ` @ ${w.ref}`}${w.commitSha === null ? '' : ` (${w.commitSha.slice(0, 12)})`}`,
    `  targets    ${w.targets.join(', ')}`,
    `  by         ${w.requestedBy}`,
    `  created    ${w.createdAt}${w.finishedAt === null ? '' : `, finished ${w.finishedAt}`}`,
  ];
  if (w.error !== null) lines.push(`  error      ${w.error.replace(/\n/g, '\n             ')}`);
  lines.push(...tier2);
  lines.push('  steps');
  for (const s of steps) {
    lines.push(
      `    ${s.target.padEnd(12)} ${s.step.padEnd(9)} ${s.status}${s.error === null ? '' : `: ${s.error.split('\n')[0]}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function workflowsShowCommand(
  ctx: CommandContext,
  id: string,
  opts: { json?: boolean },
): Promise<number> {
  const client = remote.remoteClient(ctx);
  if (client !== null) {
    const { workflow, steps } = await remote.getWorkflow(client, id);
    if (opts.json === true) printJson(ctx.io, { ...workflow, steps });
    else ctx.io.out(formatWorkflow(workflow, steps));
    return 0;
  }
  const { workflow, steps, fixes, exchanges } = await withOrchestrator(ctx, async (orch) => ({
    workflow: await orch.store.workflows.get(id),
    steps: await orch.store.steps.list(id),
    fixes: await orch.store.fixes.list(id),
    exchanges: await orch.store.agentExchanges.list(id),
  }));
  if (opts.json === true) printJson(ctx.io, { ...workflow, steps, fixes, agentExchanges: exchanges });
  else {
    const agentLines =
      exchanges.length === 0
        ? []
        : [`  exchanges  ${exchanges.length} with the agents (--json shows them, redacted)`];
    ctx.io.out(formatWorkflow(workflow, steps, [...tier2Lines(workflow, fixes), ...agentLines]));
  }
  return 0;
}

const prefixed = (c: Pick<LogChunk, 'target' | 'step' | 'text'>): string => {
  const prefix = `[${c.target ?? '-'}] ${(c.step ?? '').padEnd(8)} | `;
  return `${c.text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')}\n`;
};

/**
 * Remote: the stored log comes over the event stream too; without `--follow` it stops at the line
 * that was last when it asked, so a running workflow's replay ends as the embedded one does.
 */
async function remoteLogs(
  ctx: CommandContext,
  client: remote.RemoteClient,
  id: string,
  follow: boolean,
): Promise<number> {
  const untilSeq = follow ? undefined : (await remote.getWorkflow(client, id)).lastSeq;
  if (untilSeq === 0) return 0;
  await remote.followWorkflow(client, id, {
    ...(untilSeq === undefined ? {} : { untilSeq }),
    onEvent: (event) => {
      if (event.type === 'log') ctx.io.out(prefixed(event.data));
    },
  });
  return 0;
}

/**
 * Replays a workflow's log exactly as it was stored; with `--follow`, keeps reading new chunks until
 * the workflow finishes (it may be running in another process, or on the server).
 */
export async function workflowsLogsCommand(
  ctx: CommandContext,
  id: string,
  opts: { follow?: boolean },
): Promise<number> {
  const client = remote.remoteClient(ctx);
  if (client !== null) return remoteLogs(ctx, client, id, opts.follow === true);
  return withOrchestrator(ctx, async (orch) => {
    let after = 0;
    for (;;) {
      // Status first, then the log: a workflow seen finished has written its last chunk already.
      const done = opts.follow !== true || PAUSED.includes((await orch.store.workflows.get(id)).status);
      for (;;) {
        const chunks = await orch.store.logs.list(id, { afterSeq: after, limit: 1000 });
        for (const chunk of chunks) ctx.io.out(prefixed(chunk));
        after = chunks.at(-1)?.seq ?? after;
        if (chunks.length < 1000) break;
      }
      if (done) return 0;
      await delay(500);
    }
  });
}

/**
 * Marks a running workflow cancelled; the process running it (this one or another) stops its
 * command within a second, kills the remote process group, releases the lock, and leaves (or puts
 * back) the previous release serving.
 */
export async function workflowsStopCommand(ctx: CommandContext, id: string): Promise<number> {
  const client = remote.remoteClient(ctx);
  if (client === null) await withOrchestrator(ctx, (orch) => stopWorkflow(orch, id, cliActor()));
  else await remote.stopWorkflow(client, id);
  ctx.io.out(
    `stop requested for ${id}: the deployment stops within a second and the previous release keeps serving\n`,
  );
  return 0;
}

/**
 * Resumes every workflow a crashed process left `running` (its leases expired) from its last
 * completed step; exit 0 when each one ends succeeded (or there was nothing to resume).
 */
export async function workflowsResumeCommand(ctx: CommandContext): Promise<number> {
  remote.refuseRemote(
    ctx,
    'workflows resume',
    'the server resumes the workflows it left running when it starts',
  );
  const results = await withOrchestrator(ctx, (orch) => {
    orch.bus.subscribe(plainView(ctx.io, { workflowPrefix: true }));
    return resumeWorkflows(orch, cliActor());
  });
  if (results.length === 0)
    ctx.io.out('nothing to resume: no workflow was left running by a crashed process\n');
  for (const r of results) {
    ctx.io.out(
      `${r.workflowId}: ${r.outcome?.status ?? 'failed'}${r.error === null ? '' : ` — ${r.error}`}\n`,
    );
  }
  return results.every((r) => r.outcome?.status === 'succeeded') ? 0 : 1;
}
