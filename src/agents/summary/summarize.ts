import type { Candidate, DetectionResult, RepoView } from '../../detect/index.js';
import type { CandidateSummary, RepoSummary } from '../repo-summary.js';
import {
  MANIFEST_DEPTH,
  MAX_MANIFEST_CHARS,
  MAX_MANIFESTS,
  MAX_MANIFESTS_CHARS,
  capText,
  isManifestFile,
} from './manifest-files.js';
import { redactText } from './redact-text.js';
import { isSensitivePath } from './sensitive-paths.js';

export const MAX_TREE_FILES = 300;
const MAX_CANDIDATES = 6;
const MAX_EVIDENCE = 12;
const MAX_DETAIL_CHARS = 300;

const depthOf = (path: string): number => path.split('/').length;

/** Shallow paths first: the root says most about a repo, and a deep src/ must not crowd it out. */
function byDepth(a: string, b: string): number {
  return depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function summarizeCandidate(c: Candidate): CandidateSummary {
  const text = (value: string | undefined): string | null => (value === undefined ? null : redactText(value));
  return {
    provider: c.provider,
    language: c.language,
    framework: c.framework,
    install: text(c.install?.value),
    build: text(c.build?.value),
    start: text(c.start?.value),
    test: text(c.test?.value),
    port: c.port?.value ?? null,
    moduleType: c.moduleType.value,
    systemDependencies: [...c.systemDependencies],
    confidence: c.confidence,
    evidence: c.evidence.slice(0, MAX_EVIDENCE).map((e) => ({
      file: e.file,
      ...(e.line === undefined ? {} : { line: e.line }),
      detail: capText(redactText(e.detail), MAX_DETAIL_CHARS),
    })),
  };
}

function readManifests(view: RepoView): Record<string, string> {
  const manifests: Record<string, string> = {};
  let total = 0;
  const paths = view.files({ maxDepth: MANIFEST_DEPTH }).filter(isManifestFile).sort(byDepth);
  for (const path of paths.slice(0, MAX_MANIFESTS)) {
    // A manifest's name on a link is not enough: `Dockerfile -> .env` must not be read.
    const real = view.realPath(path);
    if (real === null || !isManifestFile(real)) continue;
    const raw = view.readText(path);
    if (raw === null) continue;
    const text = capText(redactText(raw), Math.min(MAX_MANIFEST_CHARS, MAX_MANIFESTS_CHARS - total));
    total += text.length;
    manifests[path] = text;
    if (total >= MAX_MANIFESTS_CHARS) break;
  }
  return manifests;
}

/**
 * The repository as a planner may see it: a bounded file tree without secret-bearing names, the
 * ranked detection candidates with their evidence, and the contents of allowlisted manifest files
 * with credential-shaped values redacted. Everything is capped, so what reaches an LLM is small.
 */
export function summarizeRepository(view: RepoView, detection: DetectionResult, name: string): RepoSummary {
  const files = view
    .files()
    .filter((path) => !isSensitivePath(path))
    .sort(byDepth)
    .slice(0, MAX_TREE_FILES)
    .map(redactText);
  return {
    name,
    files,
    candidates: detection.candidates.slice(0, MAX_CANDIDATES).map(summarizeCandidate),
    manifests: readManifests(view),
  };
}
