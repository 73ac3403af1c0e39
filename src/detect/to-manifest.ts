import { AutomatosError } from '../core/index.js';
import type { AiModuleInput } from '../manifest/index.js';
import { projectMeta } from './project-meta.js';
import { DOCKER_IMAGE_PLACEHOLDER } from './providers/docker/index.js';
import type { RepoView } from './repo-view.js';
import type { Candidate, DetectionResult } from './types.js';

export interface ToManifestOptions {
  /** Explicit module name; sanitized like any other. */
  name?: string;
  /** Directory name of the repo, the last fallback for the name. */
  dirName: string;
  view: RepoView;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Any string to a DNS label: `@acme/My_App` -> `my-app`; never empty. */
export function toDnsLabel(raw: string): string {
  const label = raw
    .replace(/^@[^/]+\//, '')
    .replace(/^.*\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return label === '' ? 'app' : label;
}

/**
 * build_command is required and must not be empty. When a stack has nothing to install or build
 * we still give it a step that does real work and fails on a broken release (a syntax check,
 * the entry file being present), rather than `true`, so the build step means something.
 */
function fallbackBuild(c: Candidate, view: RepoView): string {
  if (c.language === 'python') return 'python3 -m compileall -q .';
  if (c.language === 'shell' && c.start?.value === 'bash start.sh') return 'bash -n start.sh';
  if (c.language === 'php')
    return `php -l ${view.exists('public/index.php') ? 'public/index.php' : 'index.php'}`;
  if (c.language === 'static') return 'test -f index.html';
  if (c.framework === 'procfile') return 'test -f Procfile';
  return 'true';
}

function describe(c: Candidate): string {
  const what = c.framework && c.framework !== 'static' ? `${c.framework} ${c.language}` : c.language;
  const files = [...new Set(c.evidence.filter((e) => e.weight > 0).map((e) => e.file))].slice(0, 3);
  return `A ${what} ${c.moduleType.value.replace('_', ' ')} deployed by Automatos (detected from ${files.join(', ') || 'the repository'}).`;
}

export function candidateToManifest(candidate: Candidate, opts: ToManifestOptions): AiModuleInput {
  const meta = projectMeta(opts.view, candidate.language);
  const name = toDnsLabel(opts.name ?? meta?.name ?? opts.dirName);
  const version = meta?.version && SEMVER.test(meta.version) ? meta.version : '0.1.0';
  const image = (cmd: string) =>
    candidate.language === 'docker'
      ? cmd.replace(new RegExp(`(-t |\\s)${DOCKER_IMAGE_PLACEHOLDER}(?= \\.|$)`), `$1${name}`)
      : cmd;
  const steps = [candidate.install?.value, candidate.build?.value].filter((s): s is string => Boolean(s));
  const start = candidate.start?.value;
  if (!start) {
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `The ${candidate.language} candidate has no start command, so it cannot be deployed. Add ai-module.yaml with a start_command, or a Procfile with a "web:" line.`,
      {
        details: { provider: candidate.provider },
      },
    );
  }
  const manifest: AiModuleInput = {
    name,
    version,
    description: meta?.description?.trim() || describe(candidate),
    module_type: candidate.moduleType.value,
    build_command: image(steps.length > 0 ? steps.join(' && ') : fallbackBuild(candidate, opts.view)),
    start_command: image(start),
    test_command: candidate.test?.value ?? null,
    system_dependencies: [...candidate.systemDependencies],
    environment_variables: {},
  };
  if (candidate.port) manifest.port = candidate.port.value;
  // http.server only serves files and a static site has no /health: its index page answering is
  // what healthy means (otherwise every release would fail verification and roll back).
  if (/^python3 -m http\.server\b/.test(start)) manifest.health_check = { endpoint: '/' };
  // A job or script opens no port: an HTTP health check would fail and roll back every release.
  if (
    !candidate.port &&
    (candidate.moduleType.value === 'automation' || candidate.moduleType.value === 'data_pipeline')
  ) {
    manifest.health_check = { enabled: false };
  }
  return manifest;
}

/** The manifest for the chosen candidate, or a clear error saying how to make the repo deployable. */
export function manifestFromDetection(result: DetectionResult, opts: ToManifestOptions): AiModuleInput {
  if (!result.chosen) {
    const seen = result.candidates.map((c) => c.language).join(', ');
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `Could not work out how to run ${opts.dirName}: ${seen ? `found ${seen} but no start command` : 'no known stack was found'}. ` +
        'Add an ai-module.yaml (run `automatos init` to generate one) or a Procfile with a "web: <command>" line.',
      {
        details: {
          candidates: result.candidates.map((c) => ({ language: c.language, confidence: c.confidence })),
        },
      },
    );
  }
  return candidateToManifest(result.chosen, opts);
}
