import { basename, relative } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { candidateToManifest, detectRepository, directoryView } from '../detect/index.js';
import type { DetectionResult } from '../detect/index.js';
import { AiModuleSchema, formatIssue, loadManifest } from '../manifest/index.js';
import type { AiModule, ManifestIssue } from '../manifest/index.js';
import { buildPlan, releaseIdFor } from '../plan/index.js';
import type { DeploymentPlan, TargetFacts } from '../plan/index.js';
import { resolveSource } from '../source/index.js';
import type { ResolvedSource } from '../source/index.js';
import { createAgents, loadAgentConfig } from '../agents/index.js';
import type { Agents } from '../agents/index.js';
import { localFacts } from './local-target.js';
import { checkPort, overridePort } from './port-override.js';
import { checkPrompt, planFromPrompt, repositoryName } from './tier2/plan-from-prompt.js';
import type { PromptPlan } from './tier2/plan-from-prompt.js';

export interface PlanRequest {
  source: string;
  ref?: string;
  dataDir: string;
  /** Relative local source paths are taken from here. */
  cwd?: string;
  /** `--port`: run on this port whatever the manifest or detection says (1–65535). */
  port?: number;
  /**
   * Tier 2 from a task prompt: the configured planner writes the manifest. Refused for a tier-1
   * repository, whose committed manifest is authoritative.
   */
  prompt?: string;
  /** The planner to use; default the one configured by `env` (AUTOMATOS_LLM_*) and the data dir. */
  agents?: Agents;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
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
  /** What the planner made of the prompt; null without one. */
  prompted: PromptPlan | null;
  plan: DeploymentPlan;
}

function manifestInvalid(file: string, errors: ManifestIssue[]): AutomatosError {
  const lines = errors.map((issue) => formatIssue(file, issue));
  return new AutomatosError('AUT_MANIFEST_INVALID', `${file} is not valid:\n${lines.join('\n')}`, {
    details: { file, errors },
  });
}

function promptOnTier1(file: string): AutomatosError {
  return new AutomatosError(
    'AUT_USAGE',
    `--prompt is for repositories without a manifest, and this one has ${file}: the committed manifest ` +
      'is what deploys. Drop --prompt, or see what a planner would write with `automatos init DIR ' +
      '--prompt "…" --force` (it overwrites the manifest).',
    { details: { manifestFile: file } },
  );
}

interface Loaded {
  module: AiModule;
  file: string | null;
  warnings: string[];
  prompted: PromptPlan | null;
}

/**
 * Tier 1 reads the manifest; tier 2 derives one from the best detection candidate, or — given a
 * prompt — asks the planner for one.
 */
async function moduleFor(
  source: ResolvedSource,
  detection: DetectionResult,
  request: Pick<PlanRequest, 'prompt' | 'agents' | 'env' | 'dataDir' | 'signal'>,
): Promise<Loaded> {
  const { dir } = source;
  if (detection.tier === 1) {
    if (request.prompt !== undefined) throw promptOnTier1(detection.manifestFile ?? 'ai-module.yaml');
    const loaded = await loadManifest(dir);
    const file = relative(dir, loaded.file);
    if (loaded.value === null) throw manifestInvalid(file, loaded.errors);
    const warnings = loaded.warnings.map((issue) => formatIssue(file, issue, 'warning'));
    return { module: loaded.value, file, warnings, prompted: null };
  }
  if (request.prompt !== undefined) {
    const agents =
      request.agents ?? createAgents(loadAgentConfig(request.env ?? process.env, request.dataDir));
    const { module, prompted } = await planFromPrompt({
      dir,
      name: repositoryName(source),
      detection,
      prompt: request.prompt,
      agents,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    return { module, file: null, warnings: [], prompted };
  }
  if (detection.chosen === null) {
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `could not tell how to build and run ${dir}: no ai-module.yaml and no recognised stack. ` +
        'Run `automatos init --type TYPE` to write a manifest, or add a Procfile with a web: line.',
    );
  }
  const draft = candidateToManifest(detection.chosen, { dirName: basename(dir), view: directoryView(dir) });
  return { module: AiModuleSchema.parse(draft), file: null, warnings: [], prompted: null };
}

/** The source checked out, detected and turned into a manifest; `release()` removes a clone. */
export interface Deployable {
  tier: 1 | 2;
  source: ResolvedSource;
  manifestFile: string | null;
  module: AiModule;
  warnings: string[];
  detection: DetectionResult;
  prompted: PromptPlan | null;
}

export async function loadDeployable(
  request: Omit<PlanRequest, 'target' | 'now'>,
  /** A workflow's recorded manifest: run again as recorded, never planned anew. */
  recorded?: AiModule,
): Promise<Deployable> {
  // Before a clone: a bad port or an empty prompt is known without one.
  if (request.port !== undefined) checkPort(request.port);
  if (request.prompt !== undefined) checkPrompt(request.prompt);
  const source = await resolveSource(request.source, {
    dataDir: request.dataDir,
    ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
    ...(request.ref === undefined ? {} : { ref: request.ref }),
  });
  try {
    const detection = await detectRepository(directoryView(source.dir));
    const loaded: Loaded =
      recorded === undefined
        ? await moduleFor(source, detection, request)
        : { module: recorded, file: detection.manifestFile, warnings: [], prompted: null };
    const { module, warnings } =
      request.port === undefined
        ? { module: loaded.module, warnings: [] }
        : overridePort(loaded.module, detection.tier, request.port);
    return {
      tier: detection.tier,
      source,
      manifestFile: loaded.file,
      module,
      warnings: [...loaded.warnings, ...warnings],
      detection,
      prompted: loaded.prompted,
    };
  } catch (error) {
    await source.cleanup();
    throw error;
  }
}

/**
 * Source -> detection -> manifest -> plan. Clones are removed afterwards. Facts default to the
 * local machine's; for an SSH target the caller reads them from the host first.
 */
export async function planDeployment(
  request: PlanRequest,
  facts: TargetFacts = localFacts(request.dataDir, request.env ?? process.env),
): Promise<PlannedDeployment> {
  const deployable = await loadDeployable(request);
  const { source } = deployable;
  try {
    const plan = buildPlan({
      module: deployable.module,
      sourceDir: source.dir,
      releaseId: releaseIdFor(request.now ?? new Date(), source.commit),
      target: facts,
    });
    return {
      tier: deployable.tier,
      source: { kind: source.kind, spec: source.spec, ref: source.ref, commit: source.commit },
      manifestFile: deployable.manifestFile,
      module: deployable.module,
      warnings: deployable.warnings,
      detection: deployable.detection,
      prompted: deployable.prompted,
      plan,
    };
  } finally {
    await source.cleanup();
  }
}
