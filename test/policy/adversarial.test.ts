import { describe, expect, it } from 'vitest';
import { createPolicyEngine } from '../../src/policy/index.js';
import { ADVERSARIAL, ALLOWED_NOW, DIFFERENTIALS } from './corpus-adversarial.js';

const engine = createPolicyEngine();
const ctx = { cwd: '/opt/automatos/apps/web/releases/2' };

describe('issue 11 adversarial corpus (standard profile)', () => {
  it('holds at least 100 attacks', () => {
    expect(ADVERSARIAL.length).toBeGreaterThanOrEqual(100);
  });

  it.each(ADVERSARIAL)('%j → %s', async (command, rule) => {
    const decision = await engine.check(command, ctx);
    expect(decision.rule, decision.reason).toBe(rule);
    if (rule === 'inline_code') {
      // Allowed, but with a risk that makes a tier-2 plan wait for approval.
      expect(decision.decision).toBe('allow');
      expect(decision.findings).toEqual([]);
      expect(decision.risk).toBeGreaterThanOrEqual(60);
    } else {
      expect(decision.decision).toBe('deny');
      expect(decision.risk).toBeGreaterThanOrEqual(60);
    }
  });
});

describe('POSIX sh differentials', () => {
  it.each(DIFFERENTIALS)('denies %j under sh', async (command) => {
    const decision = await engine.check(command, { ...ctx, shell: 'sh' });
    expect(decision.decision).toBe('deny');
    expect(decision.rule).toBe('shell_differential');
  });

  it.each(DIFFERENTIALS)('judges %j as bash by default (%s)', async (command, bash) => {
    const decision = await engine.check(command, ctx);
    expect(decision.rule, decision.reason).toBe(bash);
  });
});

describe('fixed false denials and POSIX constructs', () => {
  it.each(ALLOWED_NOW)('allows %j under %s', async (command, shell) => {
    const decision = await engine.check(command, { ...ctx, shell });
    expect(decision.findings, `${decision.rule}: ${decision.reason}`).toEqual([]);
    expect(decision.decision).toBe('allow');
  });
});
