import type { Candidate, DetectionResult, Sourced } from '../../detect/index.js';

const label = (c: Candidate): string =>
  [c.language, c.framework].filter((part) => part !== null).join('/') +
  (c.packageManager === null ? '' : ` (${c.packageManager})`);

const sourced = <T>(value: Sourced<T> | null): string =>
  value === null ? '—' : `${String(value.value)}   [${value.source}]`;

export function formatCandidate(c: Candidate, rank: number): string[] {
  const lines = [`${rank}. ${label(c)}   confidence ${c.confidence.toFixed(2)}`];
  const fields: Array<[string, string]> = [
    ['module type', sourced(c.moduleType)],
    ['port', sourced(c.port)],
    ['install', sourced(c.install)],
    ['build', sourced(c.build)],
    ['start', sourced(c.start)],
    ['test', sourced(c.test)],
  ];
  for (const [name, version] of Object.entries(c.versions))
    fields.push([`${name} version`, sourced(version)]);
  if (c.systemDependencies.length > 0) fields.push(['system packages', c.systemDependencies.join(', ')]);
  for (const [name, value] of fields) lines.push(`     ${name.padEnd(15)} ${value}`);
  lines.push('     evidence');
  for (const e of c.evidence) {
    const where = e.line === undefined ? e.file : `${e.file}:${e.line}`;
    lines.push(`       ${e.weight >= 0 ? '+' : '-'} ${where}: ${e.detail}`);
  }
  return lines;
}

export function formatDetection(result: DetectionResult, dir: string): string {
  const lines = [
    result.tier === 1
      ? `${dir}: tier 1 — ${result.manifestFile ?? 'ai-module.yaml'} is used as written`
      : `${dir}: tier 2 — no ai-module.yaml; the plan is derived from stack detection`,
  ];
  if (result.chosen === null) {
    lines.push('no stack recognised: add ai-module.yaml (automatos init --type TYPE) or a Procfile');
  } else {
    lines.push(`chosen: ${label(result.chosen)}`);
  }
  if (result.candidates.length > 0) lines.push('', 'candidates, best first:');
  result.candidates.forEach((c, i) => lines.push(...formatCandidate(c, i + 1)));
  return `${lines.join('\n')}\n`;
}
