import type { Candidate, Evidence, Sourced } from './types.js';

/** What a provider fills in; confidence is derived from the evidence, never set by hand. */
export type CandidateDraft = Omit<Candidate, 'confidence'>;

/**
 * Confidence saturates: the first strong signals matter most, and no pile of weak ones reaches
 * 1. Scale 4 puts a manifest file + framework + entry point (score ~7) near 0.83. Rounded so
 * output is stable across platforms; ranking uses the raw score, so rounding cannot reorder.
 */
export function score(evidence: readonly Evidence[]): number {
  return evidence.reduce((sum, e) => sum + e.weight, 0);
}

export function confidenceOf(evidence: readonly Evidence[]): number {
  const s = score(evidence);
  return s <= 0 ? 0 : Math.round((1 - Math.exp(-s / 4)) * 1000) / 1000;
}

export function makeCandidate(draft: CandidateDraft): Candidate {
  return { ...draft, confidence: confidenceOf(draft.evidence) };
}

export function sourced<T>(value: T, source: string): Sourced<T> {
  return { value, source };
}

export function sourcedOrNull<T>(value: T | null | undefined, source: string): Sourced<T> | null {
  return value === null || value === undefined ? null : { value, source };
}
