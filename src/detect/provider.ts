import type { RepoView } from './repo-view.js';
import type { Candidate, Evidence, Language, Sourced } from './types.js';

/** One stack provider: reads the repo through the view and proposes zero or more candidates. */
export interface Provider {
  id: string;
  detect(view: RepoView): Candidate[];
  /**
   * Providers that describe how to run an app rather than what it is (a Procfile) return an
   * override here instead of a competing candidate; ranking applies it to the chosen candidate.
   */
  override?(view: RepoView): StartOverride | null;
}

export interface StartOverride {
  start: Sourced<string>;
  /** A port written into the override's command, if any. */
  port: Sourced<number> | null;
  /** The language the command's program belongs to (gunicorn -> python), to weigh candidates. */
  language: Language | null;
  evidence: Evidence;
}
