import {
  approveWorkflow,
  cliActor,
  rejectWorkflow,
  forWorkflow,
  WorkflowEngine,
} from '../../engine/index.js';
import type { EngineEvent } from '../../engine/index.js';
import { startBackgroundWorker } from '../background-worker.js';
import type { CommandContext } from '../context.js';
import { followHints } from '../format/deploy.js';
import { printJson } from '../io.js';
import { reportOutcome } from '../report-outcome.js';
import { plainView } from '../live/plain.js';
import { TtyView } from '../live/tty.js';
import { withOrchestrator } from '../orchestrator.js';
import { approveRemote, followRemote, rejectRemote, remoteClient } from '../remote/index.js';

/**
 * Approves a workflow the review parked and runs it here, live, as `deploy` does (the review runs
 * again first, on fresh target facts); `--detach` leaves it to a background worker instead. Exit 0
 * only when every target verified healthy.
 */
export async function workflowsApproveCommand(
  ctx: CommandContext,
  id: string,
  opts: { detach?: boolean; json?: boolean },
): Promise<number> {
  const json = opts.json === true;
  const client = remoteClient(ctx);
  if (client !== null) {
    const approved = await approveRemote(client, id);
    if (opts.detach === true) {
      if (json) printJson(ctx.io, { workflowId: id, status: approved.status });
      else ctx.io.out(`${id} approved: ${approved.status} on ${client.origin}\n${followHints(id)}`);
      return 0;
    }
    if (!json) ctx.io.out(`${id} approved: the server runs it now\n`);
    return followRemote(ctx, client, id, approved.targets, json);
  }
  return withOrchestrator(ctx, async (orch) => {
    if (opts.detach === true) {
      const approved = await approveWorkflow(orch, id, cliActor());
      const worker = startBackgroundWorker(ctx, id);
      if (json) printJson(ctx.io, { workflowId: id, status: approved.status, worker });
      else {
        ctx.io.out(
          `${id} approved by ${cliActor().principal}: queued (background worker pid ${worker.pid}, ` +
            `log ${worker.log})\n${followHints(id)}`,
        );
      }
      return 0;
    }
    const engine = new WorkflowEngine(orch, { env: ctx.io.env, concurrency: 1 });
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    let unsubscribe = () => {};
    let tty: TtyView | null = null;
    try {
      const workflow = await orch.store.workflows.get(id);
      tty = !json && ctx.io.tty === true ? new TtyView(workflow.targets) : null;
      const show: ((event: EngineEvent) => void) | null = json ? null : (tty?.handle ?? plainView(ctx.io));
      if (show !== null) unsubscribe = orch.bus.subscribe(show, forWorkflow(id));
      const { run } = await engine.approve(id, cliActor());
      if (!json) ctx.io.out(`${id} approved by ${cliActor().principal}: running it now\n`);
      if (run === null) {
        if (!json) ctx.io.out(`another worker took it first; ${followHints(id)}`);
        else printJson(ctx.io, { workflowId: id, status: 'queued' });
        return 0;
      }
      tty?.start();
      const outcome = await run.outcome;
      await tty?.stop();
      return await reportOutcome(ctx, orch, outcome, json);
    } finally {
      await tty?.stop();
      unsubscribe();
      process.removeListener('SIGINT', onSignal);
      await engine.close();
    }
  });
}

/** Rejects a parked workflow: it ends cancelled, with who and why recorded and audited. */
export async function workflowsRejectCommand(
  ctx: CommandContext,
  id: string,
  opts: { reason?: string; json?: boolean },
): Promise<number> {
  const client = remoteClient(ctx);
  const rejected =
    client !== null
      ? await rejectRemote(client, id, opts.reason)
      : await withOrchestrator(ctx, (orch) => rejectWorkflow(orch, id, cliActor(), opts.reason));
  if (opts.json === true)
    printJson(ctx.io, { workflowId: id, status: rejected.status, error: rejected.error });
  else ctx.io.out(`${id} ${rejected.error ?? 'rejected'}: cancelled, nothing ran\n`);
  return 0;
}
