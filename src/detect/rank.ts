import { confidenceOf, score } from './candidate.js';
import type { StartOverride } from './provider.js';
import { evidence } from './text.js';
import type { Candidate, Evidence, Sourced } from './types.js';

/**
 * Tie-break order when scores are equal: language stacks before generic runners (shell, static,
 * docker), because they know how to install and build; docker last because it needs an engine.
 */
export const PROVIDER_ORDER = [
  'python',
  'node',
  'ruby',
  'go',
  'rust',
  'java',
  'php',
  'shell',
  'static',
  'docker',
  'procfile',
];

/** Python tools a Procfile names bare; with dependencies in `.venv` they live in `.venv/bin`. */
const VENV_TOOLS =
  /^(gunicorn|uvicorn|hypercorn|daphne|waitress-serve|streamlit|flask|celery|python3?)(\s|$)/;

export interface Ranking {
  candidates: Candidate[];
  chosen: Candidate | null;
}

/** Evidence that needs to see all candidates at once; appended so `detect` can explain it. */
function crossEvidence(c: Candidate, all: readonly Candidate[], override: StartOverride | null): Evidence[] {
  const extra: Evidence[] = [];
  const native = all.find(
    (o) =>
      o !== c &&
      o.start !== null &&
      !['docker', 'shell', 'static'].includes(o.language) &&
      score(o.evidence) > 0,
  );
  if (c.language === 'docker' && native) {
    extra.push(
      evidence(
        'Dockerfile',
        `a native ${native.language} candidate exists; running it natively needs no Docker engine on the target`,
        -1.5,
      ),
    );
  }
  if (override?.language && override.language === c.language) {
    extra.push(
      evidence('Procfile', `Procfile web process runs a ${c.language} program`, 1.5, lineOf(override)),
    );
  }
  return extra;
}

function lineOf(override: StartOverride): number | undefined {
  return Number(override.start.source.match(/^Procfile:(\d+)/)?.[1]) || undefined;
}

/** Procfile's `$PORT` is filled in with the port we will run on, so the command stands alone. */
function applyOverride(c: Candidate, override: StartOverride): Candidate {
  const port: Sourced<number> | null = override.port ?? c.port;
  let command = override.start.value;
  if (c.language === 'python' && c.install?.value.includes('.venv') && VENV_TOOLS.test(command)) {
    command = `.venv/bin/${command}`;
  }
  if (port) command = command.replace(/\$\{PORT(:-\d+)?\}|\$PORT\b/g, String(port.value));
  const detail = `Procfile web process overrides the start command (was: ${c.start?.value ?? 'none'})`;
  return {
    ...c,
    start: { value: command, source: override.start.source },
    port,
    evidence: [...c.evidence, { ...override.evidence, detail }],
  };
}

/** A Procfile with no stack around it still says how to start the app. */
function procfileOnly(override: StartOverride): Candidate {
  const ev = [
    { ...override.evidence, weight: 1, detail: `${override.evidence.detail} (no stack detected around it)` },
  ];
  return {
    provider: 'procfile',
    language: 'shell',
    framework: 'procfile',
    packageManager: null,
    versions: {},
    install: null,
    build: null,
    start: override.start,
    test: null,
    port: override.port,
    moduleType: { value: 'web_app', source: 'Procfile web process serves HTTP' },
    systemDependencies: [],
    confidence: confidenceOf(ev),
    evidence: ev,
  };
}

/**
 * Orders candidates by summed evidence weight (not first match), stable on ties, and picks the
 * best one that can actually start. The Procfile override is applied to that one only: other
 * candidates keep their own start commands so the alternatives stay honest.
 */
export function rankCandidates(candidates: readonly Candidate[], override: StartOverride | null): Ranking {
  const adjusted = candidates.map((c) => {
    const ev = [...c.evidence, ...crossEvidence(c, candidates, override)];
    return { ...c, evidence: ev, confidence: confidenceOf(ev) };
  });
  const order = (c: Candidate) => {
    const i = PROVIDER_ORDER.indexOf(c.provider);
    return i === -1 ? PROVIDER_ORDER.length : i;
  };
  const ranked = adjusted
    .map((c, index) => ({ c, index, s: score(c.evidence) }))
    .sort((a, b) => b.s - a.s || order(a.c) - order(b.c) || a.index - b.index)
    .map((x) => x.c);

  const best = ranked.find((c) => c.start !== null && score(c.evidence) > 0) ?? null;
  if (!best) {
    if (!override) return { candidates: ranked, chosen: null };
    const only = procfileOnly(override);
    return { candidates: [only, ...ranked], chosen: only };
  }
  const chosen = override ? applyOverride(best, override) : best;
  return { candidates: ranked.map((c) => (c === best ? chosen : c)), chosen };
}
