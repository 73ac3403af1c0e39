import { posix } from 'node:path';
import type { AiModule } from '../../manifest/index.js';
import { argv, chain, either } from '../command.js';
import { containerName, dockerRestart } from '../runtime/docker.js';
import { processRestart, processStop } from '../runtime/process.js';
import { systemdRestart, unitName } from '../runtime/systemd.js';
import { appSandbox } from '../sandbox.js';
import { hookCommands } from './build.js';
import type { AppLayout, PlannedCommand, PlanStep, ResolvedRuntime, TargetFacts } from '../types.js';

/** `ln -sfn` to a temporary name, then `mv -T` over `current`: rename(2) makes the switch atomic. */
export function switchCurrent(layout: AppLayout, releaseDir: string): PlannedCommand {
  const next = posix.join(layout.appDir, 'current.next');
  return {
    command: chain(argv('ln', '-sfn', releaseDir, next), argv('mv', '-T', next, layout.current)),
    purpose: `point current at ${posix.basename(releaseDir)} atomically`,
  };
}

export function restartCommands(
  runtime: ResolvedRuntime,
  module: AiModule,
  layout: AppLayout,
  target: TargetFacts,
  releaseId: string,
): PlannedCommand[] {
  switch (runtime) {
    case 'process':
      return processRestart(module, layout, target);
    case 'systemd':
      return systemdRestart(module, layout, target);
    case 'docker':
      return dockerRestart(module, layout, releaseId);
  }
}

/**
 * Stops the app whatever its runtime: used when a first release fails verification and there is no
 * earlier release to go back to, so a broken app is not left serving.
 */
export function stopCommands(
  runtime: ResolvedRuntime,
  module: AiModule,
  layout: AppLayout,
): PlannedCommand[] {
  switch (runtime) {
    case 'process':
      return [processStop(layout)];
    case 'systemd':
      return [{ command: argv('systemctl', 'stop', unitName(module.name)), purpose: 'stop the app' }];
    case 'docker':
      return [
        {
          command: either(argv('docker', 'rm', '-f', containerName(module.name)), argv('true')),
          purpose: 'stop and remove the container',
        },
      ];
  }
}

export function releaseStep(
  module: AiModule,
  layout: AppLayout,
  runtime: ResolvedRuntime,
  target: TargetFacts,
  releaseId: string,
): PlanStep {
  const sandbox = appSandbox(module, layout, target);
  return {
    name: 'release',
    description: `Switch current to the new release and (re)start it with the ${runtime} runtime`,
    commands: [
      ...hookCommands(module.hooks.pre_release, 'hooks.pre_release', layout, layout.releaseDir, sandbox),
      switchCurrent(layout, layout.releaseDir),
      ...restartCommands(runtime, module, layout, target, releaseId),
      ...hookCommands(module.hooks.post_release, 'hooks.post_release', layout, layout.current, sandbox),
    ],
  };
}
