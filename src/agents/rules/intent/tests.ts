import type { Matcher } from './types.js';

const SUITE = String.raw`(?:(?:the|all|its|my|our|unit|integration|e2e)\s+)*(?:tests?|test\s+suite|specs)`;
const BEFORE = String.raw`(?:first|before\s+(?:deploying|deployment|release|releasing|going\s+live|it\s+goes\s+live))`;
const read = () => ({ kind: 'tests' as const });

/** "run the tests", "with tests", "tests must pass", "test before deploying", and plain "tests". */
export const TEST_MATCHERS: readonly Matcher[] = [
  {
    pattern: new RegExp(
      String.raw`\b(?:run(?:ning)?|execute|with|including)\s+${SUITE}(?:\s+${BEFORE})?\b`,
      'gi',
    ),
    read,
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:tests?|test\s+suite)\s+(?:${BEFORE}|(?:must|should)\s+pass)\b|\btest(?:ed)?\s+${BEFORE}`,
      'gi',
    ),
    read,
  },
  { pattern: /\b(?:(?:unit|integration|e2e)\s+)?(?:tests|testing|test\s+suite)\b/gi, read },
];
