import type { DiagnosisInput } from '../../agent.js';
import type { Diagnosis } from '../../diagnosis.js';

/**
 * One kind of failure. `diagnose` returns null when the log is not this kind; a diagnosis with a
 * null fix when it is, but no fix is trusted (the reason then says what the operator should do).
 */
export interface DiagnosisRule {
  id: string;
  diagnose(input: DiagnosisInput): Diagnosis | null;
}

export type CommandField = 'build_command' | 'start_command' | 'test_command';

/** The manifest command a failing step ran: build and test have their own, the rest start the app. */
export function fieldForStep(step: string): CommandField {
  if (step === 'build') return 'build_command';
  if (step === 'test') return 'test_command';
  return 'start_command';
}

export const noFix = (reason: string): Diagnosis => ({ fix: null, reason });

/** The first line of the log that matches, trimmed, to quote in a reason. */
export function quote(log: string, pattern: RegExp): string {
  const line = log.split(/\r?\n/).find((l) => pattern.test(l));
  const text = (line ?? '').trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** `tool` as a word at a command position in `command`, e.g. `gunicorn` in `cd x && gunicorn app`. */
export function commandWord(tool: string): RegExp {
  const escaped = tool.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s;&|(])${escaped}(?=\\s|$)`);
}
