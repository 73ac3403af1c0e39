import { AutomatosError } from '../../core/index.js';
import { cliActor, forWorkflow, submitDeployment, WorkflowEngine } from '../../engine/index.js';
import type { DeployRequest, EngineEvent, Orchestrator } from '../../engine/index.js';
import { startBackgroundWorker } from '../background-worker.js';
import type { CommandContext } from '../context.js';
import { followHints } from '../format/deploy.js';
import { printJson } from '../io.js';
import { reportOutcome } from '../report-outcome.js';
import { plainView } from '../live/plain.js';
import { TtyView } from '../live/tty.js';
import { withOrchestrator } from '../orchestrator.js';
import { parsePortOption } from '../port-option.js';
import { listTargets, remoteClient, remoteDeploy } from '../remote/index.js';
import { resolveTargets } from '../target-selection.js';

export interface DeployOptions {
  target?: string;
  label?: string[];
  ref?: string;
  batch?: string;
  port?: string;
  prompt?: string;
  detach?: boolean;
  json?: boolean;
}

function parseBatch(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const batch = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isInteger(batch) && batch > 0)) {
    throw new AutomatosError('AUT_USAGE', `--batch must be a positive integer, got ${text}`);
  }
  return batch;
}

/**
 * `--detach`: the workflow is recorded as queued here and run by a background worker process
 * (`automatos worker --once --workflow ID`) that outlives this command.
 */
async function detach(ctx: CommandContext, orch: Orchestrator, request: DeployRequest, json: boolean) {
  const submitted = await submitDeployment(orch, request, cliActor());
  // The worker loads the source again from the recorded path or commit.
  await submitted.deployable.source.cleanup();
  const { pid, log: logFile } = startBackgroundWorker(ctx, submitted.workflowId);
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
        `(background worker pid ${pid}, log ${logFile})\n${followHints(submitted.workflowId)}`,
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
    return await reportOutcome(ctx, orch, outcome, json);
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
  const remote = remoteClient(ctx);
  if (remote !== null) {
    const targets = await resolveTargets(opts, async () => (await listTargets(remote)).targets);
    return remoteDeploy(ctx, remote, {
      source,
      targets,
      detach: opts.detach === true,
      json: opts.json === true,
      ...(opts.ref === undefined ? {} : { ref: opts.ref }),
      ...(batch === undefined ? {} : { batch }),
      ...(port === undefined ? {} : { port }),
      ...(opts.prompt === undefined ? {} : { prompt: opts.prompt }),
    });
  }
  return withOrchestrator(ctx, async (orch) => {
    const targets = await resolveTargets(opts, () => orch.store.targets.list());
    const request: DeployRequest = {
      source,
      targets,
      dataDir: ctx.dataDir,
      cwd: ctx.io.cwd,
      ...(opts.ref === undefined ? {} : { ref: opts.ref }),
      ...(batch === undefined ? {} : { batch }),
      ...(port === undefined ? {} : { port }),
      ...(opts.prompt === undefined ? {} : { prompt: opts.prompt }),
    };
    return opts.detach === true
      ? detach(ctx, orch, request, opts.json === true)
      : attached(ctx, orch, request, opts.json === true);
  });
}
