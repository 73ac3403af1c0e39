import { describe, expect, it } from 'vitest';
import { createPolicyEngine } from '../../src/policy/index.js';

/**
 * Input nested deeper than the walker goes gets a decision (`too_complex`), quickly, never a stack
 * overflow: `/execute` must audit it and answer, not fail with a 500.
 */
const engine = createPolicyEngine();
const ctx = { cwd: '/srv/app' };
const nested = (open: string, inner: string, close: string, n: number): string =>
  open.repeat(n) + inner + close.repeat(n);

const SHAPES: readonly (readonly [label: string, build: (n: number) => string])[] = [
  ['$(', (n) => `echo ${nested('$(', 'x', ')', n)}`],
  ['"$(', (n) => `echo ${nested('"$(', 'x', ')"', n)}`],
  ['((', (n) => nested('((', '1', '))', n)],
  ['$((', (n) => `echo ${nested('$((', '1', '))', n)}`],
  ['subshell', (n) => nested('(', 'true', ')', n)],
  ['group', (n) => nested('{ ', 'true', '; }', n)],
  ['backticks in bash -c', (n) => `bash -c ${JSON.stringify(nested('$(', 'x', ')', n))}`],
  ['&& chain', (n) => Array.from({ length: n }, () => 'true').join(' && ')],
];

describe('nesting depth limit', () => {
  for (const n of [1000, 5000]) {
    it.each(SHAPES)(`denies %s nested ${n} deep as too_complex`, async (_label, build) => {
      const started = Date.now();
      const decision = await engine.check(build(n), ctx);
      expect(decision.decision).toBe('deny');
      expect(decision.rule).toBe('too_complex');
      expect(decision.risk).toBeGreaterThanOrEqual(80);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }

  it('still walks ordinary nesting', async () => {
    const decision = await engine.check(`echo ${nested('$(', 'rm -rf /', ')', 20)}`, ctx);
    expect(decision.rule).toBe('fs_destroy_system');
  });

  it('denies shell strings nested past the re-parse limit without walking them', async () => {
    let code = 'rm -rf /tmp/x';
    for (let i = 0; i < 12; i += 1) code = `bash -c ${JSON.stringify(code)}`;
    const decision = await engine.check(code, ctx);
    expect(decision.rule).toBe('nesting_too_deep');
  });
});
