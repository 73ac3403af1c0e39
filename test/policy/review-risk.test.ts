// Inline interpreter code is allowed but carries its risk into the plan review: a tier-2 plan (a
// model wrote it) waits for an operator; a tier-1 manifest (the operator's own) runs.
import { describe, expect, it } from 'vitest';
import { concludeReview, HIGH_RISK, judgePlan } from '../../src/engine/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';
import { buildPlan } from '../../src/plan/index.js';
import type { TargetFacts } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';

const facts: TargetFacts = {
  name: 'web1',
  root: '/srv/apps',
  user: 'deploy',
  isRoot: false,
  hasSystemd: false,
  packageManager: 'apt',
  reach: 'ssh-forward',
};
const target = {
  name: 'web1',
  profile: 'standard' as const,
  home: '/home/deploy',
  writableRoots: ['/srv/apps', '/tmp'],
};
const policy = createPolicyEngine();

async function review(buildCommand: string, tier: 1 | 2) {
  const module = AiModuleSchema.parse({
    name: 'shop',
    version: '1.0.0',
    description: 'a shop',
    module_type: 'web_app',
    build_command: buildCommand,
    start_command: 'node server.js',
    port: 3000,
  });
  const plan = buildPlan({
    module,
    sourceDir: '/src/shop',
    releaseId: '20260101T000000.000Z-abcdef0',
    target: facts,
  });
  const verdicts = await judgePlan(policy, plan, target);
  return { verdicts, review: concludeReview({ tier, verdicts, requirements: null }) };
}

describe('inline code in a plan', () => {
  it('needs approval in a tier-2 plan, naming inline_code and its risk', async () => {
    const { verdicts, review: r } = await review('npm ci && node -e "require(\'./gen\')()"', 2);
    const build = verdicts.find((v) => v.step === 'build');
    expect(build).toMatchObject({ decision: 'allow', rule: 'inline_code' });
    expect(build?.risk).toBeGreaterThanOrEqual(Math.max(60, HIGH_RISK));
    expect(r.verdict).toBe('approval_required');
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'high_risk', rule: 'inline_code' })]);
  });

  it('runs in a tier-1 plan, with the finding recorded', async () => {
    const { review: r } = await review('python3 -c "print(1)"', 1);
    expect(r.verdict).toBe('allowed');
    expect(r.findings).toEqual([expect.objectContaining({ kind: 'high_risk', rule: 'inline_code' })]);
  });

  it('is denied when the rules can see what the code destroys', async () => {
    const { review: r } = await review('python3 -c "import shutil; shutil.rmtree(\'/etc\')"', 2);
    expect(r.verdict).toBe('denied');
  });

  it('keeps the cwd after the env file is sourced, so a relative cleanup is allowed', async () => {
    const { verdicts } = await review('rm -rf node_modules/.cache', 2);
    expect(verdicts.find((v) => v.step === 'build')).toMatchObject({ decision: 'allow', rule: 'allow' });
  });
});
