import type { AiModule } from '../../manifest/index.js';
import { argv } from '../command.js';
import { userScript, withEnvFile } from '../shell.js';
import { dockerImage } from './build.js';
import { appSandbox } from '../sandbox.js';
import type { AppLayout, PlanStep, ResolvedRuntime, TargetFacts } from '../types.js';

/** A failing test stops the deployment here: the running release is never touched. */
export function testStep(
  module: AiModule,
  layout: AppLayout,
  runtime: ResolvedRuntime,
  releaseId: string,
  target: TargetFacts,
): PlanStep {
  const description = 'Run the test suite of the new release before anything is switched';
  if (module.test_command === null) {
    return { name: 'test', description, commands: [], skipped: 'the manifest has no test_command' };
  }
  const command =
    runtime === 'docker'
      ? argv(
          'docker',
          'run',
          '--rm',
          '--env-file',
          layout.envFile,
          dockerImage(module, releaseId),
          'sh',
          '-c',
          module.test_command,
        )
      : withEnvFile(layout.envFile, userScript(module.test_command, 'test_command'));
  return {
    name: 'test',
    description,
    commands: [
      {
        command,
        purpose: 'test_command',
        cwd: layout.releaseDir,
        timeoutSec: 3600,
        // The container is the docker runtime's boundary.
        ...(runtime === 'docker' ? {} : { sandbox: appSandbox(module, layout, target) }),
      },
    ],
  };
}
