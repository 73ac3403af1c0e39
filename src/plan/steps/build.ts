import type { AiModule } from '../../manifest/index.js';
import { argv } from '../command.js';
import { userScript, withEnvFile } from '../shell.js';
import { appSandbox } from '../sandbox.js';
import type { SandboxSpec } from '../../sandbox/index.js';
import type { AppLayout, PlannedCommand, PlanStep, ResolvedRuntime, TargetFacts } from '../types.js';

export function hookCommands(
  hooks: readonly string[],
  field: string,
  layout: AppLayout,
  cwd: string,
  sandbox: SandboxSpec,
): PlannedCommand[] {
  return hooks.map((hook, index) => ({
    command: withEnvFile(layout.envFile, userScript(hook, `${field}[${index}]`)),
    purpose: `hook ${field}[${index}]`,
    cwd,
    sandbox,
  }));
}

export function dockerImage(module: AiModule, releaseId: string): string {
  return `automatos/${module.name}:${releaseId}`;
}

export function buildStep(
  module: AiModule,
  layout: AppLayout,
  runtime: ResolvedRuntime,
  releaseId: string,
  target: TargetFacts,
): PlanStep {
  const sandbox = appSandbox(module, layout, target);
  const build: PlannedCommand =
    runtime === 'docker'
      ? {
          command: argv('docker', 'build', '-t', dockerImage(module, releaseId), '.'),
          purpose: "build the image from the repository's Dockerfile",
          cwd: layout.releaseDir,
          timeoutSec: 3600,
        }
      : {
          command: withEnvFile(layout.envFile, userScript(module.build_command, 'build_command')),
          purpose: 'build_command',
          cwd: layout.releaseDir,
          timeoutSec: 3600,
          sandbox,
        };
  return {
    name: 'build',
    description: 'Build the release in its own directory',
    commands: [
      ...hookCommands(module.hooks.pre_build, 'hooks.pre_build', layout, layout.releaseDir, sandbox),
      build,
      ...hookCommands(module.hooks.post_build, 'hooks.post_build', layout, layout.releaseDir, sandbox),
    ],
  };
}
