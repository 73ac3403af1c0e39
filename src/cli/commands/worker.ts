import { setTimeout as delay } from 'node:timers/promises';
import { AutomatosError } from '../../core/index.js';
import { cliActor, resumeWorkflows, WorkflowEngine } from '../../engine/index.js';
import type { DeployOutcome, Orchestrator, Submitted } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { plainView } from '../live/plain.js';
import { withOrchestrator } from '../orchestrator.js';

export interface WorkerOptions {
  once?: boolean;
  workflow?: string;
  concurrency?: string;
  poll?: string;
}

function positive(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw new AutomatosError('AUT_USAGE', `${flag} must be an integer from 1 to ${max}, got "${text}"`);
  }
  return value;
}

/** One look for work: crashed workflows to resume, queued ones nobody runs. */
async function round(
  orch: Orchestrator,
  engine: WorkflowEngine,
  only: string | undefined,
  runs: Array<Promise<DeployOutcome | null>>,
): Promise<void> {
  if (only === undefined) {
    runs.push(
      ...(await resumeWorkflows(orch, cliActor())).map((r) =>
        Promise.resolve(r.error === null ? r.outcome : null),
      ),
    );
  }
  const adopted: Submitted[] = await engine.adoptQueued(only);
  runs.push(...adopted.map((s) => s.outcome.catch(() => null)));
}

/**
 * The embedded worker: runs queued workflows and resumes crashed ones. With several workers on one
 * PostgreSQL database, the per-workflow claims keep each workflow on exactly one of them.
 */
export async function workerCommand(ctx: CommandContext, opts: WorkerOptions): Promise<number> {
  const once = opts.once === true || opts.workflow !== undefined;
  const pollMs = positive(opts.poll, '--poll', 2, 3600) * 1000;
  return withOrchestrator(ctx, async (orch) => {
    const engine = new WorkflowEngine(orch, {
      env: ctx.io.env,
      ...(opts.concurrency === undefined
        ? {}
        : { concurrency: positive(opts.concurrency, '--concurrency', 4, 64) }),
    });
    orch.bus.subscribe(plainView(ctx.io, { workflowPrefix: true }));
    const runs: Array<Promise<DeployOutcome | null>> = [];
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      if (once) {
        await round(orch, engine, opts.workflow, runs);
        if (opts.workflow !== undefined && runs.length === 0) {
          throw new AutomatosError(
            'AUT_CONFLICT',
            `workflow ${opts.workflow} is not queued, or another worker already runs it`,
          );
        }
      } else {
        ctx.io.err(
          `worker ${process.pid}: waiting for queued workflows (Ctrl-C stops after the running ones)\n`,
        );
        while (!stop.signal.aborted) {
          // A long-running worker keeps no outcomes: they are on the workflow records.
          await round(orch, engine, undefined, []);
          await delay(pollMs, undefined, { signal: stop.signal }).catch(() => undefined);
        }
      }
      await engine.idle();
      const outcomes = await Promise.all(runs);
      return outcomes.every((o) => o?.status === 'succeeded') ? 0 : 1;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await engine.close();
    }
  });
}
