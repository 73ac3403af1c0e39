/**
 * `npm run eval:planner [-- --provider rules|openai|anthropic[,…]]`: runs every fixture under
 * test/fixtures/planner through each provider's planner and prints a score per case and provider.
 * Exits 1 when the rules provider scores below its threshold, so CI catches regressions; LLM
 * providers are scored but never fail the run (their output is not deterministic).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAutomatosError } from '../src/core/index.js';
import { loadCases } from './eval/cases.js';
import { parseProvider, plannerFor } from './eval/planner-for.js';
import { RULES_THRESHOLD, formatReport, meetsThreshold, runEval } from './eval/run.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/planner');

function providersFrom(args: readonly string[]): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (arg === '--provider') values.push(args[i + 1] ?? '');
    else if (arg.startsWith('--provider=')) values.push(arg.slice('--provider='.length));
  });
  return (values.length > 0 ? values : ['rules']).flatMap((v) => v.split(',')).map((v) => v.trim());
}

async function main(): Promise<number> {
  const cases = loadCases(FIXTURES);
  let code = 0;
  for (const provider of providersFrom(process.argv.slice(2)).map(parseProvider)) {
    const report = await runEval(plannerFor(provider), cases);
    console.log(formatReport(report));
    if (provider === 'rules' && !meetsThreshold(report)) {
      console.log(
        `rules is below its threshold (cases ${RULES_THRESHOLD.cases * 100}%, properties ${RULES_THRESHOLD.properties * 100}%)`,
      );
      code = 1;
    }
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `error: ${isAutomatosError(error) || error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(2);
  },
);
