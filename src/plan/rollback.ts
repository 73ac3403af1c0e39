import type { AiModule } from '../manifest/index.js';
import { argv } from './command.js';
import { releaseDirOf } from './release-id.js';
import { selectRuntime } from './runtime/select.js';
import { restartCommands, switchCurrent } from './steps/release.js';
import type { AppLayout, PlannedCommand, TargetFacts } from './types.js';

/**
 * Back to `previousReleaseId`: check it is still on disk, switch `current` to it atomically (the same
 * `ln -sfn` + `mv -T` as a release), then restart through the target's runtime (for docker, the
 * image tagged with that release). Pure: the caller runs the commands through the guard.
 */
export function rollbackCommands(
  module: AiModule,
  layout: AppLayout,
  target: TargetFacts,
  previousReleaseId: string,
): PlannedCommand[] {
  const releaseDir = releaseDirOf(layout, previousReleaseId);
  const runtime = selectRuntime(module, target);
  return [
    {
      command: argv('test', '-d', releaseDir),
      purpose: `check release ${previousReleaseId} is still on the target`,
    },
    switchCurrent(layout, releaseDir),
    ...restartCommands(runtime, module, { ...layout, releaseDir }, target, previousReleaseId),
  ];
}
