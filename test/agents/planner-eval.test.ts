import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRulesPlanner } from '../../src/agents/index.js';
import { loadCases } from '../../scripts/eval/cases.js';
import { RULES_THRESHOLD, formatReport, meetsThreshold, runEval } from '../../scripts/eval/run.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/planner');
const ORIGINAL_PROMPT =
  'Deploy a Python Flask web server that serves cryptocurrency data with basic authentication and logging.';

// `npm run eval:planner` in the suite: the rules provider must stay at or above its threshold.
describe('planner eval (rules provider)', () => {
  const cases = loadCases(FIXTURES);

  it('has at least 15 cases, including the original system example', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.map((c) => c.prompt)).toContain(ORIGINAL_PROMPT);
  });

  it(`scores at least ${RULES_THRESHOLD.cases * 100}% of cases and ${RULES_THRESHOLD.properties * 100}% of properties`, async () => {
    const report = await runEval(createRulesPlanner(), cases);
    expect(meetsThreshold(report), formatReport(report)).toBe(true);
  });

  it('fails a planner that ignores the prompt', async () => {
    const rules = createRulesPlanner();
    const deaf = {
      provider: rules.provider,
      plan: (input: Parameters<typeof rules.plan>[0]) => rules.plan({ ...input, prompt: '' }),
    };
    const report = await runEval(deaf, cases);
    expect(meetsThreshold(report)).toBe(false);
  });
});
