import type { Actor } from '../../exec/index.js';
import type { Workflow } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { DeployLeases } from '../workflow/lease.js';
import { runWorkflow, type DeployOutcome } from './deploy.js';
import { loadRecordedRun } from './recorded.js';

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

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Crash recovery (invariant 3): every workflow left `running` by a process that died — its leases
 * expired — is resumed from its last completed step per target (a step cut mid-way runs again, steps
 * are idempotent), with the manifest and release id it recorded. What cannot be resumed is failed
 * with the reason, never left `running`.
 */
export async function resumeWorkflows(
  orch: Orchestrator,
  actor: Actor,
  now = Date.now(),
): Promise<ResumeResult[]> {
  const results: ResumeResult[] = [];
  for (const w of await orch.store.workflows.listByStatus(['running'])) {
    if (!(await orphaned(orch, w, now))) continue;
    let recorded: Awaited<ReturnType<typeof loadRecordedRun>>;
    try {
      recorded = await loadRecordedRun(orch, w);
    } catch (error) {
      const why = message(error);
      await orch.store.workflows.update(w.id, {
        status: 'failed',
        error: why,
        finishedAt: new Date().toISOString(),
      });
      results.push({ workflowId: w.id, outcome: null, error: why });
      continue;
    }
    await orch.store.workflows.update(w.id, { attempt: w.attempt + 1 });
    await orch.store.logs.append(w.id, {
      stream: 'system',
      text: `resumed after a crash (attempt ${w.attempt + 1})\n`,
    });
    try {
      const outcome = await runWorkflow(orch, recorded.request, actor, recorded.done);
      results.push({ workflowId: w.id, outcome, error: null });
    } catch (error) {
      results.push({ workflowId: w.id, outcome: null, error: message(error) });
    } finally {
      await recorded.request.deployable.source.cleanup();
    }
  }
  return results;
}
