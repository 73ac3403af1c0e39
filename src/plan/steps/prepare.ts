import type { AiModule } from '../../manifest/index.js';
import { writeFileFromStdin } from '../write-file.js';
import { installSystemPackages } from '../system-packages.js';
import type { AppLayout, PlannedCommand, PlanStep, TargetFacts } from '../types.js';

/** The env file the runtime loads: environment_variables, PORT, then secrets (values never in the plan). */
export function envFileVariables(module: AiModule): string[] {
  const names = new Set(Object.keys(module.environment_variables));
  names.add('PORT');
  return [...names].filter((name) => !module.secrets.includes(name)).sort();
}

export function prepareStep(module: AiModule, layout: AppLayout, target: TargetFacts): PlanStep {
  const commands: PlannedCommand[] = [];
  const sandboxPackages = target.missingSandboxPackages ?? [];
  if (sandboxPackages.length > 0 && target.packageManager !== null) {
    commands.push({
      command: installSystemPackages(sandboxPackages, target),
      purpose: `install what the sandbox needs: ${sandboxPackages.join(', ')}`,
      timeoutSec: 900,
    });
  }
  if (module.system_dependencies.length > 0) {
    commands.push({
      command: installSystemPackages(module.system_dependencies, target),
      purpose: `install missing system packages: ${module.system_dependencies.join(', ')}`,
      timeoutSec: 900,
    });
  }
  commands.push({
    // Written in run/ and renamed into shared/: a confined command may write shared/, and must
    // not be able to plant a symlink where this unconfined writer puts the secrets.
    command: writeFileFromStdin(layout.envFile, '0600', 'env_file', layout.runDir),
    purpose: 'write the shared env file (mode 0600)',
    stdin: { kind: 'env_file', variables: envFileVariables(module), secrets: [...module.secrets].sort() },
  });
  return {
    name: 'prepare',
    description: 'Install system dependencies and write the shared environment file',
    commands,
  };
}
