import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AutomatosError } from '../core/index.js';
import type { Actor } from '../exec/index.js';
import { runWorkflow, submitDeployment } from './deploy/deploy.js';
import type { DeployOutcome, DeployRequest, RunRequest } from './deploy/deploy.js';
import { loadRecordedRun } from './deploy/recorded.js';
import type { Workflow } from '../store/index.js';
import type { Orchestrator } from './orchestrator.js';
import { DEFAULT_CONCURRENCY, InProcessQueue } from './queue/index.js';
import type { Job, JobQueue, QueueStats } from './queue/index.js';
import { approveWorkflow, rejectWorkflow } from './workflow/approval.js';
import { WorkflowClaims } from './workflow/claims.js';
import { DeployLeases } from './workflow/lease.js';

export interface EngineOptions {
  /** Workflows run at once (default AUTOMATOS_WORKER_CONCURRENCY or 4). */
  concurrency?: number;
  /** Default: an in-process queue. */
  queue?: JobQueue;
  env?: NodeJS.ProcessEnv;
}

export interface Submitted {
  workflowId: string;
  app: string;
  releaseId: string;
  targets: string[];
  /** Settles when this process has run the workflow to its end. */
  outcome: Promise<DeployOutcome>;
}

interface Pending {
  request: RunRequest;
  done: ReadonlyMap<string, ReadonlySet<string>>;
  actor: Actor;
  resolve: (outcome: DeployOutcome) => void;
  reject: (error: unknown) => void;
}

export function concurrencyFrom(env: NodeJS.ProcessEnv): number {
  const raw = env['AUTOMATOS_WORKER_CONCURRENCY'];
  if (raw === undefined || raw === '') return DEFAULT_CONCURRENCY;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw new AutomatosError(
      'AUT_USAGE',
      `AUTOMATOS_WORKER_CONCURRENCY must be an integer from 1 to 64, got "${raw}"`,
    );
  }
  return value;
}

/**
 * engine.submit → workflow recorded `queued` → job on the queue → a worker runs it. Deploys of the
 * same app to the same target wait for each other in the queue; across processes the store's
 * deploy lease refuses the second one with a clear message.
 */
export class WorkflowEngine {
  private readonly queue: JobQueue;
  private readonly pending = new Map<string, Pending>();
  private readonly claims: WorkflowClaims;

  constructor(
    private readonly orch: Orchestrator,
    options: EngineOptions = {},
  ) {
    this.queue =
      options.queue ?? new InProcessQueue(options.concurrency ?? concurrencyFrom(options.env ?? process.env));
    this.claims = new WorkflowClaims(orch.store, `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
    this.queue.process((job) => this.run(job));
  }

  /**
   * Records the deployment as queued and puts it on the queue; returns once it is queued. `signal`
   * stops it the way `workflows stop` does (the CLI passes Ctrl-C).
   */
  async submit(request: DeployRequest, actor: Actor, signal?: AbortSignal): Promise<Submitted> {
    const submitted = await submitDeployment(this.orch, request, actor);
    const { workflowId, app, releaseId, targets, deployable } = submitted;
    await this.claims.claim(workflowId);
    const outcome = new Promise<DeployOutcome>((resolve, reject) => {
      this.pending.set(workflowId, {
        request: {
          workflowId,
          releaseId,
          targets,
          deployable,
          ...(request.batch === undefined ? {} : { batch: request.batch }),
          ...(signal === undefined ? {} : { signal }),
        },
        done: new Map(),
        actor,
        resolve,
        reject,
      });
    });
    await this.queue.enqueue({ workflowId, keys: targets.map((t) => DeployLeases.nameFor(app, t)) });
    return { workflowId, app, releaseId, targets, outcome };
  }

  /**
   * Workflows left `queued` by a process that did not run them (`deploy --detach`, or one that
   * exited before it could): each one this worker can claim is loaded from the store and queued here.
   */
  async adoptQueued(only?: string): Promise<Submitted[]> {
    const adopted: Submitted[] = [];
    for (const w of await this.orch.store.workflows.listByStatus(['queued'])) {
      if (only !== undefined && w.id !== only) continue;
      const claimed = await this.adopt(w);
      if (claimed === null) continue;
      await this.queue.enqueue({
        workflowId: w.id,
        keys: w.targets.map((t) => DeployLeases.nameFor(w.app, t)),
      });
      adopted.push({
        workflowId: w.id,
        app: w.app,
        releaseId: w.releaseId ?? '',
        targets: w.targets,
        outcome: claimed.outcome,
      });
    }
    return adopted;
  }

  /** Claims a recorded workflow and makes it pending here; null when another process has it. */
  private async adopt(w: Workflow): Promise<{ outcome: Promise<DeployOutcome> } | null> {
    if (!(await this.claims.claim(w.id))) return null;
    let recorded: Awaited<ReturnType<typeof loadRecordedRun>>;
    try {
      recorded = await loadRecordedRun(this.orch, w);
    } catch (error) {
      await this.orch.store.workflows.update(w.id, {
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date().toISOString(),
      });
      await this.claims.release(w.id);
      return null;
    }
    const outcome = new Promise<DeployOutcome>((resolve, reject) => {
      this.pending.set(w.id, {
        request: recorded.request,
        done: recorded.done,
        actor: { principal: w.requestedBy, source: 'engine' },
        resolve,
        reject,
      });
    });
    // Nobody may be waiting on it: a failure is on the workflow record, not an unhandled rejection.
    outcome.catch(() => undefined);
    return { outcome };
  }

  /**
   * Approves a workflow the review parked and runs it here (the review runs again first); `run` is
   * null when another worker claimed it first — it runs there. Audited with the actor.
   */
  async approve(id: string, actor: Actor): Promise<{ workflow: Workflow; run: Submitted | null }> {
    const workflow = await approveWorkflow(this.orch, id, actor);
    const [run] = await this.adoptQueued(id);
    return { workflow, run: run ?? null };
  }

  /** Rejects a parked workflow: it ends cancelled with the actor and reason recorded and audited. */
  reject(id: string, actor: Actor, reason?: string): Promise<Workflow> {
    return rejectWorkflow(this.orch, id, actor, reason);
  }

  stats(): QueueStats {
    return this.queue.stats();
  }

  /** Resolves once every queued and running workflow of this engine has ended. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.claims.releaseAll();
  }

  private async run(job: Job): Promise<void> {
    // Every job on the in-process queue was made pending by submit or adoptQueued first.
    const pending = this.pending.get(job.workflowId);
    if (pending === undefined) return;
    this.pending.delete(job.workflowId);
    if (!(await this.claims.confirm(job.workflowId))) {
      await pending.request.deployable.source.cleanup();
      this.claims.forget(job.workflowId);
      pending.reject(
        new AutomatosError(
          'AUT_CONFLICT',
          `workflow ${job.workflowId} was not run here: its claim lapsed while it waited and another worker may run it`,
          { details: { workflowId: job.workflowId }, transient: true },
        ),
      );
      return;
    }
    try {
      pending.resolve(await runWorkflow(this.orch, pending.request, pending.actor, pending.done));
    } catch (error) {
      pending.reject(error);
    } finally {
      await pending.request.deployable.source.cleanup();
      await this.claims.release(job.workflowId);
    }
  }
}
