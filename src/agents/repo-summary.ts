import type { Language } from '../detect/index.js';

/** A detection candidate as a planner sees it: what was found and the evidence for it. */
export interface CandidateSummary {
  provider: string;
  language: Language;
  framework: string | null;
  install: string | null;
  build: string | null;
  start: string | null;
  test: string | null;
  port: number | null;
  moduleType: string;
  systemDependencies: string[];
  confidence: number;
  evidence: { file: string; line?: number; detail: string }[];
}

/**
 * The repository as told to a planner. Built from an allowlist of files; `.env` files, keys and
 * other secret-bearing files never enter it, and every part is bounded, so what reaches an LLM is
 * known and small.
 */
export interface RepoSummary {
  name: string;
  /** Relative paths, bounded in count. */
  files: string[];
  candidates: CandidateSummary[];
  /** Contents of manifests such as package.json, pyproject.toml or requirements.txt, by path. */
  manifests: Record<string, string>;
}
