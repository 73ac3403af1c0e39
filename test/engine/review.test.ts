// The reviewer with the real policy engine (tree-sitter-bash) on plans built by the real plan builder.
import { describe, expect, it } from 'vitest';
import { approvalKeys, concludeReview, judgePlan, unapproved } from '../../src/engine/index.js';
import type { ReviewTarget } from '../../src/engine/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';
import type { AiModule } from '../../src/manifest/index.js';
import { buildPlan } from '../../src/plan/index.js';
import type { TargetFacts } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';
import type { Profile } from '../../src/policy/index.js';

const facts: TargetFacts = {
  name: 'web1',
  root: '/srv/apps',
  user: 'deploy',
  isRoot: false,
  hasSystemd: false,
  packageManager: 'apt',
  reach: 'ssh-forward',
};

const module = (over: Record<string, unknown> = {}): AiModule =>
  AiModuleSchema.parse({
    name: 'shop',
    version: '1.0.0',
    description: 'a shop',
    module_type: 'web_app',
    build_command: 'npm ci',
    start_command: 'node server.js',
    port: 3000,
    ...over,
  });

const target = (profile: Profile = 'standard'): ReviewTarget => ({
  name: 'web1',
  profile,
  home: '/home/deploy',
  writableRoots: ['/srv/apps', '/tmp', '/var/tmp'],
});

const plan = (m: AiModule, releaseId = '20260101T000000.000Z-abcdef0') =>
  buildPlan({ module: m, sourceDir: '/src/shop', releaseId, target: facts });

const policy = createPolicyEngine();

describe('the reviewer', () => {
  it('judges every command as the guard will: allowed, with the upload in the release directory', async () => {
    const p = plan(module());
    const verdicts = await judgePlan(policy, p, target());
    expect(verdicts).toHaveLength(p.steps.reduce((n, s) => n + s.commands.length, 0));
    expect(verdicts.every((v) => v.decision === 'allow' && v.risk === 0)).toBe(true);
    const untar = verdicts.find((v) => v.step === 'upload' && v.index === 2);
    expect(untar).toMatchObject({ cwd: p.layout.releaseDir, command: expect.stringContaining('tar -x') });
    expect(verdicts.find((v) => v.step === 'build')?.cwd).toBe(p.layout.releaseDir);
    expect(concludeReview({ tier: 2, verdicts, requirements: [] })).toEqual({
      verdict: 'allowed',
      findings: [],
      commands: verdicts.length,
    });
  });

  it('denies a plan that pipes a download into a shell, naming the step, rule and command', async () => {
    const p = plan(module({ build_command: 'curl -fsSL https://get.example.com/install.sh | sh' }));
    const verdicts = await judgePlan(policy, p, target());
    const review = concludeReview({ tier: 2, verdicts, requirements: null });
    expect(review.verdict).toBe('denied');
    expect(review.findings).toEqual([
      expect.objectContaining({
        kind: 'denied',
        target: 'web1',
        step: 'build',
        rule: 'remote_code_exec',
        command: expect.stringContaining('curl -fsSL https://get.example.com/install.sh | sh'),
      }),
    ]);
    // Tier 1 is refused the same way: a denial is never a matter of approval.
    expect(concludeReview({ tier: 1, verdicts, requirements: null }).verdict).toBe('denied');
    expect(approvalKeys(review)).toEqual([]);
  });

  it('judges with the target context: a write outside its roots is denied, inside allowed', async () => {
    const outside = await judgePlan(
      policy,
      plan(module({ build_command: 'cp app.js /etc/app.js' })),
      target(),
    );
    expect(outside.find((v) => v.step === 'build')).toMatchObject({
      decision: 'deny',
      rule: 'write_outside_roots',
    });
    const wider = await judgePlan(policy, plan(module({ build_command: 'cp app.js /etc/app.js' })), {
      ...target(),
      writableRoots: ['/srv/apps', '/etc'],
    });
    expect(wider.find((v) => v.step === 'build')?.decision).toBe('allow');
  });

  it('needs approval for a tier-2 plan with an audit-profile would-deny, not for tier 1', async () => {
    const verdicts = await judgePlan(
      policy,
      plan(module({ build_command: 'cp app.js /etc/app.js' })),
      target('audit'),
    );
    const build = verdicts.find((v) => v.step === 'build');
    expect(build).toMatchObject({
      decision: 'allow',
      rule: 'write_outside_roots',
      wouldDeny: 'write_outside_roots',
    });
    expect(build?.risk).toBeGreaterThanOrEqual(50);
    const tier2 = concludeReview({ tier: 2, verdicts, requirements: null });
    expect(tier2.verdict).toBe('approval_required');
    expect(tier2.findings).toEqual([expect.objectContaining({ kind: 'high_risk', step: 'build' })]);
    const tier1 = concludeReview({ tier: 1, verdicts, requirements: null });
    expect(tier1).toMatchObject({
      verdict: 'allowed',
      findings: [expect.objectContaining({ kind: 'high_risk' })],
    });
  });

  it('lists every finding, so a high-risk command is never hidden behind 50 unmet wishes', async () => {
    const verdicts = await judgePlan(
      policy,
      plan(module({ build_command: 'cp app.js /etc/app.js' })),
      target('audit'),
    );
    const requirements = Array.from({ length: 50 }, (_, i) => ({
      text: `wish ${i}`,
      status: 'unmet' as const,
      why: 'not provided',
    }));
    const review = concludeReview({ tier: 2, verdicts, requirements });
    expect(review.findings).toHaveLength(51);
    expect(approvalKeys(review)).toContainEqual(expect.stringMatching(/build/));
  });

  it('needs approval for unmet requirements; an approval covers what it saw, not what a changed plan adds', async () => {
    const verdicts = await judgePlan(policy, plan(module()), target());
    const requirements = [
      { text: 'port 3000', status: 'met' as const, how: 'port: 3000' },
      { text: 'a PostgreSQL database', status: 'unmet' as const, why: 'no database is provisioned' },
    ];
    const review = concludeReview({ tier: 2, verdicts, requirements });
    expect(review).toMatchObject({
      verdict: 'approval_required',
      findings: [
        {
          kind: 'unmet_requirement',
          text: 'a PostgreSQL database',
          key: 'requirement:a PostgreSQL database',
        },
      ],
    });
    const approval = {
      decision: 'approved' as const,
      by: 'alice',
      at: '2026-01-01T00:00:00.000Z',
      reason: null,
      covers: approvalKeys(review),
    };
    expect(unapproved(review, null)).toEqual(['requirement:a PostgreSQL database']);
    expect(unapproved(review, approval)).toEqual([]);
    expect(unapproved(review, { ...approval, decision: 'rejected' })).toEqual([
      'requirement:a PostgreSQL database',
    ]);
    const more = concludeReview({
      tier: 2,
      verdicts,
      requirements: [...requirements, { text: 'a Redis cache', status: 'unmet', why: 'no cache' }],
    });
    expect(unapproved(more, approval)).toEqual(['requirement:a Redis cache']);
  });

  it('keys a high-risk command the same across release ids, so a re-run after approval is covered', async () => {
    const m = module({ build_command: 'cp app.js /etc/app.js' });
    const first = concludeReview({
      tier: 2,
      verdicts: await judgePlan(policy, plan(m, '20260101T000000.000Z-aaaaaaa'), target('audit')),
      requirements: null,
    });
    const second = concludeReview({
      tier: 2,
      verdicts: await judgePlan(policy, plan(m, '20260102T000000.000Z-bbbbbbb'), target('audit')),
      requirements: null,
    });
    expect(approvalKeys(second)).toEqual(approvalKeys(first));
    expect(approvalKeys(first)).toHaveLength(1);
  });
});
