import type { DiagnosisInput } from '../../agent.js';
import { DiagnosisSchema, type Diagnosis } from '../../diagnosis.js';
import { redactCredentials } from '../../../security/index.js';
import { commandNotFound } from './command-not-found.js';
import { missingModule } from './missing-module.js';
import { permissionDenied } from './permission-denied.js';
import { portInUse } from './port-in-use.js';
import { noFix, type DiagnosisRule } from './rule.js';
import { runtimeVersion } from './runtime-version.js';

const MAX_FIXES = 2;

/** Most specific first: an old Node reports `Cannot find module 'node:…'`, which is not a package. */
const RULES: readonly DiagnosisRule[] = [
  portInUse,
  runtimeVersion,
  missingModule,
  commandNotFound,
  permissionDenied,
];

const MAX_REASON = 1000;

function lastLine(log: string): string {
  return (
    log
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? '(empty log)'
  );
}

/**
 * The rule-based diagnosis of a failed step. A fix already reflected in the module (the package
 * listed, the command changed) is never proposed again: rules derive their fix from the module,
 * which carries every earlier fix.
 */
export function diagnoseFailure(input: DiagnosisInput): Diagnosis {
  let diagnosis: Diagnosis;
  if (input.attempt > MAX_FIXES) {
    diagnosis = noFix(`A workflow gets at most ${MAX_FIXES} fixes; this failure is left to the operator.`);
  } else {
    diagnosis =
      RULES.map((rule) => rule.diagnose(input)).find((d) => d !== null) ??
      noFix(
        `No rule of the rules diagnoser matches this failure of step ${input.step}` +
          `${input.exitCode === null ? '' : ` (exit ${input.exitCode})`}; last log line: ${lastLine(input.logTail)}`,
      );
  }
  const reason = redactCredentials(diagnosis.reason);
  return DiagnosisSchema.parse({
    fix: diagnosis.fix,
    reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason,
  });
}
