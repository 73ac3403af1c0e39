import type { AiModuleInput } from '../../../manifest/index.js';
import type { CandidateSummary, RepoSummary } from '../../repo-summary.js';
import type { Requirement } from '../../requirement.js';
import type { Intent } from '../intent/index.js';

/** What every handler reads and changes while one plan is made. */
export interface PlanContext {
  /** The manifest being built; handlers change it in place, in a fixed order. */
  module: AiModuleInput;
  summary: RepoSummary;
  /** The detection candidate the module was built from, or null when the prompt gave the commands. */
  base: CandidateSummary | null;
  notes: string[];
}

export type Handler<I extends Intent = Intent> = (intent: I, ctx: PlanContext) => Requirement;

export const met = (text: string, how: string): Requirement => ({ text, status: 'met', how });
export const unmet = (text: string, why: string): Requirement => ({ text, status: 'unmet', why });

/** `python/flask`, or just `static` when the framework adds nothing. */
export function stackName(c: Pick<CandidateSummary, 'language' | 'framework'>): string {
  return c.framework && c.framework !== c.language ? `${c.language}/${c.framework}` : c.language;
}

/** The files that made detection pick a candidate, for "why" and "how" texts. */
export function evidenceFiles(c: CandidateSummary, max = 3): string {
  const files = [...new Set(c.evidence.map((e) => e.file).filter((f) => f !== ''))];
  return files.slice(0, max).join(', ') || 'the repository';
}
