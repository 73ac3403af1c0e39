/**
 * Non-fatal rules over a valid manifest: things that deploy but are probably not what the author
 * meant. Each is a named rule so it can be listed, tested and later turned off one by one.
 */
import { formatPath } from './issues.js';
import type { ManifestIssue, ManifestIssueCode } from './issues.js';
import type { Locator, Target } from './positions.js';
import { SUPPORTED_DEPLOYMENT_TARGETS } from './schema.js';
import type { AiModule } from './schema.js';

type Emit = (path: PropertyKey[], code: ManifestIssueCode, message: string, target?: Target) => void;
type Rule = (module: AiModule, emit: Emit, present: (path: PropertyKey[]) => boolean) => void;

const timeoutWithinInterval: Rule = (m, emit, present) => {
  const { timeout, interval } = m.health_check;
  if (
    m.health_check.enabled &&
    timeout > interval &&
    (present(['health_check', 'timeout']) || present(['health_check', 'interval']))
  ) {
    const where = present(['health_check', 'timeout']) ? 'timeout' : 'interval';
    emit(
      ['health_check', where],
      'timeout_exceeds_interval',
      `health_check.timeout (${timeout}s) is greater than health_check.interval (${interval}s), so probes overlap; make timeout at most interval`,
    );
  }
};

const secretsNotInEnvironment: Rule = (m, emit) => {
  for (const name of new Set(m.secrets)) {
    if (name in m.environment_variables) {
      emit(
        ['environment_variables', name],
        'secret_in_environment',
        `"${name}" is also listed in secrets; the secret's value wins at deploy time, so remove this plain value (it would sit unencrypted in the manifest)`,
        'key',
      );
    }
  }
};

const noDuplicateEntries: Rule = (m, emit) => {
  const lists = ['dependencies', 'dev_dependencies', 'system_dependencies', 'secrets'] as const;
  for (const list of lists) {
    const seen = new Set<string>();
    m[list].forEach((entry, index) => {
      if (seen.has(entry))
        emit([list, index], 'duplicate_entry', `"${entry}" is listed more than once; remove the repeat`);
      seen.add(entry);
    });
  }
};

const supportedTarget: Rule = (m, emit) => {
  if (!SUPPORTED_DEPLOYMENT_TARGETS.includes(m.deployment_target)) {
    emit(
      ['deployment_target'],
      'unsupported_target',
      `"${m.deployment_target}" is valid but not supported yet, so planning will refuse it; use one of: ${SUPPORTED_DEPLOYMENT_TARGETS.join(', ')}`,
    );
  }
};

const commandOnlyForCommandType: Rule = (m, emit) => {
  if (m.health_check.command !== undefined && m.health_check.type !== 'command') {
    emit(
      ['health_check', 'command'],
      'unused_health_command',
      `is ignored because health_check.type is "${m.health_check.type}"; set type: command to use it, or remove it`,
    );
  }
};

export const WARNING_RULES: readonly Rule[] = [
  timeoutWithinInterval,
  secretsNotInEnvironment,
  noDuplicateEntries,
  supportedTarget,
  commandOnlyForCommandType,
];

/** `present` tells whether the user wrote a field (vs. a default), to point at what they wrote. */
export function manifestWarnings(
  module: AiModule,
  locator: Locator,
  present: (path: PropertyKey[]) => boolean,
): ManifestIssue[] {
  const out: ManifestIssue[] = [];
  const emit: Emit = (path, code, message, target = 'value') => {
    out.push({ code, path: formatPath(path), ...locator.locate(path, target), message });
  };
  for (const rule of WARNING_RULES) rule(module, emit, present);
  return out;
}
