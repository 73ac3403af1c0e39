import type { Intent } from '../intent/index.js';
import { met, unmet, type Handler } from './context.js';

type TestsIntent = Extract<Intent, { kind: 'tests' }>;

/** The tests run as the `test` step, after build and before release; a failure stops the deploy. */
export const handleTests: Handler<TestsIntent> = (intent, ctx) => {
  if (intent.negated) {
    ctx.module.test_command = null;
    return met(intent.text, 'test_command: none (tests are not run)');
  }
  const language = ctx.base?.language;
  const found =
    ctx.module.test_command ??
    ctx.summary.candidates.find((c) => c.test !== null && c.language === language)?.test ??
    null;
  if (found === null) {
    return unmet(
      intent.text,
      'no test suite was detected (no tests directory, test script or test runner in the dependencies); add test_command to ai-module.yaml',
    );
  }
  ctx.module.test_command = found;
  return met(intent.text, `test_command: ${found} (runs before release; a failure stops the deployment)`);
};
