import { basename, relative } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { candidateToManifest, detectRepository, directoryView } from '../detect/index.js';
import type { DetectionResult } from '../detect/index.js';
import { AiModuleSchema, formatIssue, loadManifest } from '../manifest/index.js';
import type { AiModule, ManifestIssue } from '../manifest/index.js';
import { buildPlan, releaseIdFor } from '../plan/index.js';
import type { DeploymentPlan } from '../plan/index.js';
import { resolveSource } from '../source/index.js';
import type { ResolvedSource } from '../source/index.js';
import { LOCAL_TARGET, localTargetFacts } from './local-target.js';

export interface PlanRequest {
  source: string;
  ref?: string;
  target?: string;
  dataDir: string;
  /** Relative local source paths are taken from here. */
  cwd?: string;
  now?: Date;
}

export interface PlannedDeployment {
  tier: 1 | 2;
  source: Pick<ResolvedSource, 'kind' | 'spec' | 'ref' | 'commit'>;
  manifestFile: string | null;
  module: AiModule;
  /** Formatted `FILE:LINE:COL: warning: …` lines from the manifest. */
  warnings: string[];
  detection: DetectionResult;
  plan: DeploymentPlan;
}

function manifestInvalid(file: string, errors: ManifestIssue[]): AutomatosError {
  const lines = errors.map((issue) => formatIssue(file, issue));
  return new AutomatosError('AUT_MANIFEST_INVALID', `${file} is not valid:\n${lines.join('\n')}`, {
    details: { file, errors },
  });
}

/** Tier 1 reads the manifest; tier 2 derives one from the best detection candidate. */
async function moduleFor(
  dir: string,
  detection: DetectionResult,
): Promise<{ module: AiModule; file: string | null; warnings: string[] }> {
  if (detection.tier === 1) {
    const loaded = await loadManifest(dir);
    const file = relative(dir, loaded.file);
    if (loaded.value === null) throw manifestInvalid(file, loaded.errors);
    const warnings = loaded.warnings.map((issue) => formatIssue(file, issue, 'warning'));
    return { module: loaded.value, file, warnings };
  }
  if (detection.chosen === null) {
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `could not tell how to build and run ${dir}: no ai-module.yaml and no recognised stack. ` +
        'Run `automatos init --type TYPE` to write a manifest, or add a Procfile with a web: line.',
    );
  }
  const draft = candidateToManifest(detection.chosen, { dirName: basename(dir), view: directoryView(dir) });
  return { module: AiModuleSchema.parse(draft), file: null, warnings: [] };
}

/** Source -> detection -> manifest -> plan. Clones are removed afterwards; no target is contacted. */
export async function planDeployment(request: PlanRequest): Promise<PlannedDeployment> {
  const targetName = request.target ?? LOCAL_TARGET;
  if (targetName !== LOCAL_TARGET) {
    throw new AutomatosError(
      'AUT_USAGE',
      `unknown target "${targetName}": only the built-in "local" target exists so far ` +
        '(registering SSH targets is not built yet)',
      { details: { target: targetName } },
    );
  }
  const source = await resolveSource(request.source, {
    dataDir: request.dataDir,
    ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
    ...(request.ref === undefined ? {} : { ref: request.ref }),
  });
  try {
    const detection = await detectRepository(directoryView(source.dir));
    const { module, file, warnings } = await moduleFor(source.dir, detection);
    const plan = buildPlan({
      module,
      sourceDir: source.dir,
      releaseId: releaseIdFor(request.now ?? new Date(), source.commit),
      target: localTargetFacts(),
    });
    return {
      tier: detection.tier,
      source: { kind: source.kind, spec: source.spec, ref: source.ref, commit: source.commit },
      manifestFile: file,
      module,
      warnings,
      detection,
      plan,
    };
  } finally {
    await source.cleanup();
  }
}
