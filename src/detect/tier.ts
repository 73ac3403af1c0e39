import type { RepoView } from './repo-view.js';

export interface TierResult {
  tier: 1 | 2;
  manifestFile: string | null;
  warnings: string[];
}

export const MANIFEST_FILES = ['ai-module.yaml', 'ai-module.yml'] as const;

/** A manifest at the root makes the repo tier 1; `.yaml` wins when both spellings exist. */
export function detectTier(view: RepoView): TierResult {
  const present = MANIFEST_FILES.filter((f) => view.exists(f));
  const [first] = present;
  if (!first) return { tier: 2, manifestFile: null, warnings: [] };
  const warnings =
    present.length > 1
      ? [
          'Both ai-module.yaml and ai-module.yml exist; using ai-module.yaml. Delete ai-module.yml to remove the ambiguity.',
        ]
      : [];
  return { tier: 1, manifestFile: first, warnings };
}
