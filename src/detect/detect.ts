import { stat } from 'node:fs/promises';
import { AutomatosError } from '../core/index.js';
import { directoryView } from './directory-view.js';
import type { Provider, StartOverride } from './provider.js';
import { dockerProvider } from './providers/docker/index.js';
import { goProvider } from './providers/go/index.js';
import { javaProvider } from './providers/java/index.js';
import { nodeProvider } from './providers/node/index.js';
import { phpProvider } from './providers/php/index.js';
import { procfileProvider } from './providers/procfile/index.js';
import { pythonProvider } from './providers/python/index.js';
import { rubyProvider } from './providers/ruby/index.js';
import { rustProvider } from './providers/rust/index.js';
import { shellProvider } from './providers/shell/index.js';
import { staticProvider } from './providers/static/index.js';
import { rankCandidates } from './rank.js';
import type { RepoView } from './repo-view.js';
import { detectTier } from './tier.js';
import type { Candidate, DetectionResult } from './types.js';

export const PROVIDERS: readonly Provider[] = [
  nodeProvider,
  pythonProvider,
  goProvider,
  rubyProvider,
  rustProvider,
  javaProvider,
  phpProvider,
  staticProvider,
  dockerProvider,
  shellProvider,
  procfileProvider,
];

/**
 * Runs every provider (all of them: ranking needs the losers too, with their reasons). A provider
 * that throws is a bug in Automatos, not in the repo: it is reported as a warning and the others
 * still run, so one odd file never turns `automatos detect` into a stack trace.
 */
export function detectRepository(
  view: RepoView,
  providers: readonly Provider[] = PROVIDERS,
): DetectionResult {
  const tier = detectTier(view);
  const warnings = [...tier.warnings];
  const candidates: Candidate[] = [];
  let override: StartOverride | null = null;
  for (const provider of providers) {
    try {
      candidates.push(...provider.detect(view));
      override ??= provider.override?.(view) ?? null;
    } catch (error) {
      warnings.push(
        `Provider ${provider.id} failed and was skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const ranking = rankCandidates(candidates, override);
  return {
    tier: tier.tier,
    manifestFile: tier.manifestFile,
    candidates: ranking.candidates,
    chosen: ranking.chosen,
    warnings,
  };
}

export async function detectDirectory(dir: string): Promise<DetectionResult> {
  const info = await stat(dir).catch((cause: unknown) => {
    throw new AutomatosError(
      'AUT_IO',
      `Cannot detect ${dir}: the directory does not exist or cannot be read.`,
      {
        details: { path: dir },
        cause,
      },
    );
  });
  if (!info.isDirectory()) {
    throw new AutomatosError('AUT_IO', `Cannot detect ${dir}: it is not a directory.`, {
      details: { path: dir },
    });
  }
  return detectRepository(directoryView(dir));
}
