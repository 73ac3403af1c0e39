import type { Actor } from '../../exec/index.js';
import { AiModuleSchema } from '../../manifest/index.js';
import type { Workflow } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { loadDeployable } from '../plan-deployment.js';
import { DeployLeases } from '../workflow/lease.js';
import { runWorkflow, type DeployOutcome } from './deploy.js';
import type { DeployEvents } from './events.js';

export interface ResumeResult {
  workflowId: string;
  outcome: DeployOutcome | null;
  error: string | null;
}

/** A workflow is orphaned when it says `running` but nobody holds a live lease for it any more. */
async function orphaned(orch: Orchestrator, w: Workflow, now: number): Promise<boolean> {
  for (const target of w.targets) {
    const lease = await orch.store.locks.get(DeployLeases.nameFor(w.app, target));
    if (lease !== undefined && lease.expiresAt > now) return false;
  }
  return true;
}

async function fail(orch: Orchestrator, w: Workflow, why: string): Promise<ResumeResult> {
  await orch.store.workflows.update(w.id, {
    status: 'failed',
    error: why,
    finishedAt: new Date().toISOString(),
  });
  return { workflowId: w.id, outcome: null, error: why };
}

/**
 * Crash recovery (invariant 3): every workflow left `running` by a process that died — its leases
 * expired — is resumed from its last completed step per target (a step cut mid-way runs again, steps
 * are idempotent), with the manifest and release id it recorded. What cannot be resumed is failed
 * with the reason, never left `running`.
 */
export async function resumeWorkflows(
  orch: Orchestrator,
  dataDir: string,
  actor: Actor,
  events: DeployEvents,
  now = Date.now(),
): Promise<ResumeResult[]> {
  const results: ResumeResult[] = [];
  for (const w of await orch.store.workflows.listByStatus(['running'])) {
    if (!(await orphaned(orch, w, now))) continue;
    const snapshot = (w.plan ?? {}) as { module?: unknown; rollback?: boolean };
    const module = AiModuleSchema.safeParse(snapshot.module);
    if (snapshot.rollback === true) {
      results.push(
        await fail(orch, w, 'a rollback cut by a crash is not resumed; run `automatos rollback` again'),
      );
      continue;
    }
    if (!module.success || w.releaseId === null) {
      results.push(await fail(orch, w, 'the workflow did not record its manifest and release; deploy again'));
      continue;
    }
    let deployable: Awaited<ReturnType<typeof loadDeployable>>;
    try {
      const ref = w.source.startsWith('/') || w.commitSha === null ? {} : { ref: w.commitSha };
      deployable = await loadDeployable({ source: w.source, dataDir, ...ref });
    } catch (error) {
      results.push(
        await fail(orch, w, `its source is gone: ${error instanceof Error ? error.message : String(error)}`),
      );
      continue;
    }
    const done = new Map<string, Set<string>>();
    for (const step of await orch.store.steps.list(w.id)) {
      if (step.status !== 'succeeded' && step.status !== 'skipped') continue;
      const set = done.get(step.target) ?? new Set<string>();
      set.add(step.step);
      done.set(step.target, set);
    }
    await orch.store.workflows.update(w.id, { attempt: w.attempt + 1 });
    await orch.store.logs.append(w.id, {
      stream: 'system',
      text: `resumed after a crash (attempt ${w.attempt + 1})\n`,
    });
    try {
      const outcome = await runWorkflow(
        orch,
        {
          source: w.source,
          dataDir,
          targets: w.targets,
          workflowId: w.id,
          releaseId: w.releaseId,
          deployable: { ...deployable, module: module.data },
        },
        actor,
        events,
        done,
      );
      results.push({ workflowId: w.id, outcome, error: null });
    } catch (error) {
      results.push({
        workflowId: w.id,
        outcome: null,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      await deployable.source.cleanup();
    }
  }
  return results;
}
