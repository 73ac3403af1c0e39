import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutomatosError } from '../../core/index.js';
import { cliActor, forWorkflow, submitDeployment, WorkflowEngine } from '../../engine/index.js';
import type { DeployOutcome, DeployRequest, EngineEvent, Orchestrator } from '../../engine/index.js';
import { spawnDetachedWorker } from '../../exec/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { plainView } from '../live/plain.js';
import { TtyView } from '../live/tty.js';
import { withOrchestrator } from '../orchestrator.js';
import { parsePortOption } from '../port-option.js';
import { resolveTargets } from '../target-selection.js';

export interface DeployOptions {
  target?: string;
  label?: string[];
  ref?: string;
  batch?: string;
  port?: string;
  detach?: boolean;
  json?: boolean;
}

function summary(outcome: DeployOutcome): string {
  const lines = [
    `${outcome.app} release ${outcome.releaseId}: ${outcome.status} (workflow ${outcome.workflowId})`,
  ];
  for (const t of outcome.targets) {
    const serving = t.serving === null ? 'nothing serving' : `serving ${t.serving} at ${t.url}`;
    lines.push(
      `  ${t.target.padEnd(12)} ${t.status.padEnd(12)} ${serving}${t.error === null ? '' : `\n    ${t.error.replace(/\n/g, '\n    ')}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function parseBatch(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const batch = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isInteger(batch) && batch > 0)) {
    throw new AutomatosError('AUT_USAGE', `--batch must be a positive integer, got ${text}`);
  }
  return batch;
}

/** bin/automatos.js, two folders above this file in both src/ and dist/. */
const ENTRY = fileURLToPath(new URL('../../../bin/automatos.js', import.meta.url));

/**
 * `--detach`: the workflow is recorded as queued here and run by a background worker process
 * (`automatos worker --once --workflow ID`) that outlives this command.
 */
async function detach(ctx: CommandContext, orch: Orchestrator, request: DeployRequest, json: boolean) {
  const submitted = await submitDeployment(orch, request, cliActor());
  // The worker loads the source again from the recorded path or commit.
  await submitted.deployable.source.cleanup();
  const logFile = join(ctx.dataDir, 'logs', `worker-${submitted.workflowId}.log`);
  const pid = spawnDetachedWorker({
    script: ENTRY,
    args: ['--data-dir', ctx.dataDir, 'worker', '--once', '--workflow', submitted.workflowId],
    // The database URL (it may hold a password) travels in the environment, not on the command line.
    env: {
      ...ctx.io.env,
      ...(ctx.databaseUrl === undefined ? {} : { AUTOMATOS_DATABASE_URL: ctx.databaseUrl }),
    },
    logFile,
  });
  const result = {
    workflowId: submitted.workflowId,
    app: submitted.app,
    releaseId: submitted.releaseId,
    status: 'queued',
    worker: { pid, log: logFile },
  };
  if (json) printJson(ctx.io, result);
  else {
    ctx.io.out(
      `${submitted.app} release ${submitted.releaseId}: queued as workflow ${submitted.workflowId} ` +
        `(background worker pid ${pid}, log ${logFile})\n` +
        `  follow it:  automatos workflows logs ${submitted.workflowId} --follow\n` +
        `  stop it:    automatos workflows stop ${submitted.workflowId}\n`,
    );
  }
  return 0;
}

/** Runs the workflow in this process, showing it live; exit 0 only when every target verified. */
async function attached(
  ctx: CommandContext,
  orch: Orchestrator,
  request: DeployRequest,
  json: boolean,
): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  const engine = new WorkflowEngine(orch, { env: ctx.io.env, concurrency: 1 });
  const tty = !json && ctx.io.tty === true ? new TtyView(request.targets) : null;
  const show: ((event: EngineEvent) => void) | null = json ? null : (tty?.handle ?? plainView(ctx.io));
  let unsubscribe = () => {};
  try {
    const submitted = await engine.submit(request, cliActor(), abort.signal);
    if (show !== null) unsubscribe = orch.bus.subscribe(show, forWorkflow(submitted.workflowId));
    tty?.start();
    const outcome = await submitted.outcome;
    await tty?.stop();
    if (json) printJson(ctx.io, outcome);
    else ctx.io.out(summary(outcome));
    return outcome.status === 'succeeded' ? 0 : 1;
  } finally {
    await tty?.stop();
    unsubscribe();
    process.removeListener('SIGINT', onSignal);
    await engine.close();
  }
}

export async function deployCommand(
  ctx: CommandContext,
  source: string,
  opts: DeployOptions,
): Promise<number> {
  const batch = parseBatch(opts.batch);
  const port = opts.port === undefined ? undefined : parsePortOption(opts.port);
  return withOrchestrator(ctx, async (orch) => {
    const targets = await resolveTargets(orch, opts);
    const request: DeployRequest = {
      source,
      targets,
      dataDir: ctx.dataDir,
      cwd: ctx.io.cwd,
      ...(opts.ref === undefined ? {} : { ref: opts.ref }),
      ...(batch === undefined ? {} : { batch }),
      ...(port === undefined ? {} : { port }),
    };
    return opts.detach === true
      ? detach(ctx, orch, request, opts.json === true)
      : attached(ctx, orch, request, opts.json === true);
  });
}
