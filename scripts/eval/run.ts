import { summarizeRepository, type Planner } from '../../src/agents/index.js';
import { isAutomatosError } from '../../src/core/index.js';
import { candidateToManifest, detectRepository, directoryView } from '../../src/detect/index.js';
import type { EvalCase } from './cases.js';
import { checkError, checkOutput, type Check } from './checks.js';

/** Below this the rules provider fails the eval (and CI): a regression, not a new hard case. */
export const RULES_THRESHOLD = { cases: 0.9, properties: 0.95 };

export interface CaseResult {
  name: string;
  checks: Check[];
  passed: boolean;
}

export interface EvalReport {
  provider: string;
  results: CaseResult[];
  caseRate: number;
  propertyRate: number;
}

async function runCase(planner: Planner, c: EvalCase): Promise<CaseResult> {
  const view = directoryView(c.dir);
  const detection = detectRepository(view);
  const { name } = c;
  const summary = summarizeRepository(view, detection, name);
  let checks: Check[];
  try {
    const draft = detection.chosen ? candidateToManifest(detection.chosen, { dirName: name, view }) : null;
    const { output } = await planner.plan({ prompt: c.prompt, summary, draft });
    checks = checkOutput(output, summary, c.expect);
  } catch (error) {
    if (!isAutomatosError(error)) throw error;
    checks = checkError(error.code, error.message, c.expect);
  }
  return { name: c.name, checks, passed: checks.every((k) => k.ok) };
}

/** Runs every case through one planner; cases run one after another so LLM calls stay sequential. */
export async function runEval(planner: Planner, cases: readonly EvalCase[]): Promise<EvalReport> {
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(planner, c));
  const checks = results.flatMap((r) => r.checks);
  return {
    provider: planner.provider,
    results,
    caseRate: results.length === 0 ? 0 : results.filter((r) => r.passed).length / results.length,
    propertyRate: checks.length === 0 ? 0 : checks.filter((k) => k.ok).length / checks.length,
  };
}

const pct = (rate: number): string => `${(rate * 100).toFixed(1)}%`;

export function formatReport(report: EvalReport): string {
  const width = Math.max(...report.results.map((r) => r.name.length), 4);
  const lines = report.results.map((r) => {
    const ok = r.checks.filter((k) => k.ok).length;
    const failed = r.checks.filter((k) => !k.ok).map((k) => `${k.name} (got ${k.got ?? '?'})`);
    return `${r.passed ? 'pass' : 'FAIL'}  ${r.name.padEnd(width)}  ${ok}/${r.checks.length}${failed.length ? `  ${failed.join('; ')}` : ''}`;
  });
  const passed = report.results.filter((r) => r.passed).length;
  const checks = report.results.flatMap((r) => r.checks);
  lines.push(
    `${report.provider}: cases ${passed}/${report.results.length} (${pct(report.caseRate)}), ` +
      `properties ${checks.filter((k) => k.ok).length}/${checks.length} (${pct(report.propertyRate)})`,
  );
  return lines.join('\n');
}

export function meetsThreshold(report: EvalReport, threshold = RULES_THRESHOLD): boolean {
  return report.caseRate >= threshold.cases && report.propertyRate >= threshold.properties;
}
