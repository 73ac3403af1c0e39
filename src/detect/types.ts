import type { ModuleType } from '../manifest/index.js';

/** One observation that supports (or weakens) a candidate: which file, where, and what was seen. */
export interface Evidence {
  file: string;
  line?: number;
  detail: string;
  /** Contribution to the candidate's score; negative evidence lowers it. */
  weight: number;
}

/** A value plus where it came from, so `automatos detect` can explain every field. */
export interface Sourced<T> {
  value: T;
  source: string;
}

export type Language =
  'node' | 'python' | 'go' | 'ruby' | 'rust' | 'java' | 'php' | 'static' | 'docker' | 'shell';

export interface Candidate {
  /** Provider id, e.g. `node`, `python`, `static`. */
  provider: string;
  language: Language;
  framework: string | null;
  packageManager: string | null;
  /** Runtime/tool versions, e.g. `{node: "20", python: "3.11"}`, each with its source. */
  versions: Record<string, Sourced<string>>;
  install: Sourced<string> | null;
  build: Sourced<string> | null;
  start: Sourced<string> | null;
  test: Sourced<string> | null;
  port: Sourced<number> | null;
  moduleType: Sourced<ModuleType>;
  /** System packages the app needs on the target (Debian names), e.g. python3-venv. */
  systemDependencies: string[];
  /** 0..1, derived from the evidence weights; candidates are ranked by it. */
  confidence: number;
  evidence: Evidence[];
}

export interface DetectionResult {
  tier: 1 | 2;
  /** Path of ai-module.yaml/.yml relative to the repo root, when tier 1. */
  manifestFile: string | null;
  /** Ranked, best first. */
  candidates: Candidate[];
  chosen: Candidate | null;
  /** Problems worth telling the user that do not stop detection (both manifest spellings present). */
  warnings: string[];
}
