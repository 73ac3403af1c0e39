import { listReleasesCommand, parseReleaseList, pruneCommands, releasesToPrune } from '../../plan/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { runPlanned, type TargetRun } from './run-target.js';

/**
 * After a verified release: keep the newest `keep_releases` release directories (never the one
 * serving nor the one it replaced, the rollback target) and remove the rest. A failure here is
 * reported but does not fail a deployment that is already serving.
 */
export async function pruneReleases(
  orch: Orchestrator,
  run: TargetRun,
  previous: string | null,
): Promise<void> {
  const { target, events, module, plan } = run;
  events.step(target.name, 'prune', 'running');
  try {
    const listed = parseReleaseList(await runPlanned(run, 'prune', listReleasesCommand(plan.layout)));
    const doomed = releasesToPrune(listed, module.keep_releases, [plan.releaseId, previous]);
    for (const planned of pruneCommands(plan.layout, doomed)) await runPlanned(run, 'prune', planned);
    for (const id of doomed) {
      if ((await orch.store.apps.releases.find(module.name, target.name, id)) !== undefined) {
        await orch.store.apps.releases.setStatus(module.name, target.name, id, 'pruned');
      }
    }
    events.step(
      target.name,
      'prune',
      'succeeded',
      doomed.length === 0 ? 'nothing to remove' : `removed ${doomed.join(', ')}`,
    );
  } catch (error) {
    events.step(target.name, 'prune', 'failed', error instanceof Error ? error.message : String(error));
  }
}
