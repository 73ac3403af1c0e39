import { describe, expect, it } from 'vitest';
import { createPolicyEngine } from '../../src/policy/index.js';
import { ALLOWED } from './corpus-allowed.js';
import { DENIED } from './corpus-denied.js';

const engine = createPolicyEngine();
const ctx = { cwd: '/opt/automatos/apps/web/releases/2' };

describe('standard profile corpus', () => {
  it('holds at least 150 denied and 80 allowed commands', () => {
    expect(DENIED.length).toBeGreaterThanOrEqual(150);
    expect(ALLOWED.length).toBeGreaterThanOrEqual(80);
  });

  it.each(DENIED)('denies %j (%s)', async (command, rule) => {
    const decision = await engine.check(command, ctx);
    expect(decision.decision, decision.reason).toBe('deny');
    expect(decision.allowed).toBe(false);
    expect(decision.rule).toBe(rule);
    expect(decision.risk).toBeGreaterThan(0);
  });

  it.each(ALLOWED)('allows %j', async (command) => {
    const decision = await engine.check(command, ctx);
    expect(decision.findings, `${decision.rule}: ${decision.reason}`).toEqual([]);
    expect(decision.decision).toBe('allow');
  });
});
