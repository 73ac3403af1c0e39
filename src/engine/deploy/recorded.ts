import { AutomatosError } from '../../core/index.js';
import { AiModuleSchema } from '../../manifest/index.js';
import type { Workflow } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { loadDeployable } from '../plan-deployment.js';
import type { RunRequest } from './deploy.js';

/** What a workflow row recorded at submission, enough for another process to run it. */
interface Snapshot {
  module?: unknown;
  rollback?: boolean;
  batch?: unknown;
}

/**
 * Rebuilds a recorded workflow's run from the store: its manifest and release id as recorded, its
 * source loaded again (a git source at the recorded commit), and the steps each target already
 * finished. Throws AUT_INVALID_INPUT with the reason when it cannot be run again.
 */
export async function loadRecordedRun(
  orch: Orchestrator,
  w: Workflow,
): Promise<{ request: RunRequest; done: Map<string, Set<string>> }> {
  const snapshot = (w.plan ?? {}) as Snapshot;
  if (snapshot.rollback === true) {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      'a rollback cut by a crash is not resumed; run `automatos rollback` again',
    );
  }
  const module = AiModuleSchema.safeParse(snapshot.module);
  if (!module.success || w.releaseId === null) {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      'the workflow did not record its manifest and release; deploy again',
    );
  }
  let deployable: Awaited<ReturnType<typeof loadDeployable>>;
  try {
    const ref = w.source.startsWith('/') || w.commitSha === null ? {} : { ref: w.commitSha };
    // The recorded manifest runs as recorded: a tier-2 workflow is not planned again.
    deployable = await loadDeployable({ source: w.source, dataDir: orch.dataDir, ...ref }, module.data);
  } catch (error) {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      `its source is gone: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const done = new Map<string, Set<string>>();
  for (const step of await orch.store.steps.list(w.id)) {
    if (step.status !== 'succeeded' && step.status !== 'skipped') continue;
    const set = done.get(step.target) ?? new Set<string>();
    set.add(step.step);
    done.set(step.target, set);
  }
  const batch = typeof snapshot.batch === 'number' ? { batch: snapshot.batch } : {};
  return {
    request: {
      workflowId: w.id,
      releaseId: w.releaseId,
      targets: w.targets,
      deployable,
      ...batch,
    },
    done,
  };
}
