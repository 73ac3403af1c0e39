import { AutomatosError, isAutomatosError } from '../../core/index.js';
import type { EngineEvent } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { followHints, formatOutcome, type OutcomeSummary } from '../format/deploy.js';
import { parkedLines } from '../format/review.js';
import { printJson } from '../io.js';
import { plainView } from '../live/plain.js';
import { TtyView } from '../live/tty.js';
import type { RemoteClient } from './client.js';
import { engineEvent } from './engine-event.js';
import { followWorkflow } from './follow.js';
import { sourceForServer } from './source.js';
import { getWorkflow, type ReviewJson } from './workflows.js';

export interface RemoteDeployRequest {
  source: string;
  targets: string[];
  ref?: string;
  batch?: number;
  port?: number;
  prompt?: string;
  detach: boolean;
  json: boolean;
}

interface StartedJson {
  workflow_id: string;
  app: string;
  release_id: string;
  targets: string[];
  status: 'queued';
}

/**
 * The outcome as the API records it: per target, the status derived from its steps, the release
 * serving now, the endpoint, and the error of the step that failed.
 */
async function outcomeOf(
  client: RemoteClient,
  id: string,
): Promise<{ outcome: OutcomeSummary; review: ReviewJson | null }> {
  const { workflow, steps, results, review } = await getWorkflow(client, id);
  const outcome: OutcomeSummary = {
    workflowId: workflow.id,
    app: workflow.app,
    releaseId: workflow.releaseId,
    status: workflow.status,
    targets: results.map((r) => ({
      target: r.target,
      status: r.status,
      serving: r.serving_release,
      url: r.endpoint,
      error: steps.find((s) => s.target === r.target && s.status === 'failed')?.error ?? null,
    })),
  };
  return { outcome, review };
}

/** Follows the workflow live over SSE; Ctrl-C stops following, never the deployment on the server. */
export async function followRemote(
  ctx: CommandContext,
  client: RemoteClient,
  id: string,
  targets: readonly string[],
  json: boolean,
): Promise<number> {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  const tty = !json && ctx.io.tty === true ? new TtyView([...targets]) : null;
  const show: ((event: EngineEvent) => void) | null = json ? null : (tty?.handle ?? plainView(ctx.io));
  try {
    tty?.start();
    await followWorkflow(client, id, {
      signal: abort.signal,
      onEvent: (event) => show?.(engineEvent(id, event)),
    });
    await tty?.stop();
    const { outcome, review } = await outcomeOf(client, id);
    if (json) printJson(ctx.io, outcome);
    else ctx.io.out(formatOutcome(outcome));
    if (!json && outcome.status === 'awaiting_approval') ctx.io.out(parkedLines({ id, review }));
    return outcome.status === 'succeeded' ? 0 : 1;
  } catch (error) {
    if (!abort.signal.aborted) {
      // The deployment was queued and goes on: say how to find it again.
      throw isAutomatosError(error)
        ? new AutomatosError(
            error.code,
            `${error.message} — follow workflow ${id} again: automatos workflows logs ${id} --follow`,
            { details: error.details, cause: error },
          )
        : error;
    }
    await tty?.stop();
    ctx.io.err(`stopped following workflow ${id}; the deployment goes on on the server\n${followHints(id)}`);
    return 130;
  } finally {
    await tty?.stop();
    process.removeListener('SIGINT', onSignal);
  }
}

/** `POST /workflow`: the server queues and runs it; `--detach` returns with the id at once. */
export async function remoteDeploy(
  ctx: CommandContext,
  client: RemoteClient,
  request: RemoteDeployRequest,
): Promise<number> {
  const started = (await client.request('POST', '/workflow', {
    body: {
      repository_url: await sourceForServer(ctx.io, request.source),
      targets: request.targets,
      ...(request.ref === undefined ? {} : { ref: request.ref }),
      ...(request.batch === undefined ? {} : { batch: request.batch }),
      ...(request.port === undefined ? {} : { port: request.port }),
      ...(request.prompt === undefined ? {} : { task_prompt: request.prompt }),
    },
  })) as StartedJson;
  if (!request.detach) return followRemote(ctx, client, started.workflow_id, started.targets, request.json);
  const id = started.workflow_id;
  if (request.json) {
    printJson(ctx.io, {
      workflowId: id,
      app: started.app,
      releaseId: started.release_id,
      status: started.status,
      targets: started.targets,
    });
  } else {
    ctx.io.out(
      `${started.app} release ${started.release_id}: queued as workflow ${id} on ${client.origin}\n${followHints(id)}`,
    );
  }
  return 0;
}
