import { AutomatosError } from '../../core/index.js';
import type { AiModule } from '../../manifest/index.js';
import type { ResolvedRuntime, TargetFacts } from '../types.js';

/**
 * `auto` picks docker for deployment_target docker, systemd where the host runs it and we may write
 * units (root), and the process runtime everywhere else.
 */
export function selectRuntime(module: AiModule, target: TargetFacts): ResolvedRuntime {
  if (module.runtime === 'auto') {
    if (module.deployment_target === 'docker') return 'docker';
    return target.hasSystemd && target.isRoot ? 'systemd' : 'process';
  }
  if (module.runtime === 'systemd' && !target.hasSystemd) {
    throw new AutomatosError(
      'AUT_PLAN_UNSUPPORTED',
      `runtime: systemd was requested, but target ${target.name} does not run systemd. ` +
        'Use runtime: process (works anywhere) or runtime: auto.',
      { details: { target: target.name } },
    );
  }
  if (module.runtime === 'systemd' && !target.isRoot) {
    throw new AutomatosError(
      'AUT_PLAN_UNSUPPORTED',
      `runtime: systemd needs to write /etc/systemd/system, but target ${target.name} connects as ` +
        `${target.user}, not root. Use runtime: process, or connect as root.`,
      { details: { target: target.name, user: target.user } },
    );
  }
  return module.runtime;
}
