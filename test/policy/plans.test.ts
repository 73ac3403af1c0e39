import { describe, expect, it } from 'vitest';
import { planDeployment } from '../../src/engine/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';
import {
  buildPlan,
  listReleasesCommand,
  pruneCommands,
  renderCommand,
  rollbackCommands,
  stopCommands,
} from '../../src/plan/index.js';
import type { DeploymentPlan, TargetFacts } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';

// A policy that blocks the orchestrator's own plan is a bug: every command of every example plan, for
// every runtime, must be allowed by the standard profile.
const EXAMPLES = ['node-http', 'python-http', 'static-site', 'crypto-api', 'crypto-dashboard'];
const TARGETS: Array<Partial<TargetFacts>> = [
  { hasSystemd: false, isRoot: true, root: '/opt/automatos/apps' },
  { hasSystemd: true, isRoot: true, root: '/opt/automatos/apps' },
  { hasSystemd: false, isRoot: false, user: 'deploy', root: '/home/deploy/.automatos/apps' },
];

async function plansFor(example: string): Promise<DeploymentPlan[]> {
  const base = await planDeployment({
    source: `examples/${example}`,
    dataDir: '/tmp/automatos-policy-plans',
  });
  return TARGETS.flatMap((facts) =>
    (['local', 'docker'] as const).map((deploymentTarget) =>
      buildPlan({
        module: AiModuleSchema.parse({ ...base.module, deployment_target: deploymentTarget }),
        sourceDir: '/src',
        releaseId: '20261125T010203Z-abcdef1',
        target: { ...base.plan.target, ...facts },
      }),
    ),
  );
}

describe('the standard policy and the plans we generate', () => {
  const engine = createPolicyEngine();

  it.each(EXAMPLES)('allows every command of the %s plans', async (example) => {
    const denied: string[] = [];
    let checked = 0;
    for (const plan of await plansFor(example)) {
      for (const step of plan.steps) {
        for (const planned of step.commands) {
          const text = renderCommand(planned.command);
          const decision = await engine.check(text, {
            cwd: planned.cwd ?? plan.layout.appDir,
            home: plan.target.isRoot ? '/root' : '/home/deploy',
            systemdUnits: plan.runtime === 'systemd',
          });
          checked += 1;
          if (!decision.allowed) denied.push(`${plan.runtime}/${step.name}: ${decision.rule}: ${text}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(denied).toEqual([]);
  });

  it.each(EXAMPLES)('allows rolling back, listing and pruning the %s releases', async (example) => {
    const denied: string[] = [];
    let checked = 0;
    const base = await planDeployment({
      source: `examples/${example}`,
      dataDir: '/tmp/automatos-policy-plans',
    });
    for (const plan of await plansFor(example)) {
      const module = AiModuleSchema.parse({
        ...base.module,
        deployment_target: plan.runtime === 'docker' ? 'docker' : 'local',
      });
      const commands = [
        ...rollbackCommands(module, plan.layout, plan.target, '20261124T230000Z-1234567'),
        listReleasesCommand(plan.layout),
        ...pruneCommands(plan.layout, ['20261120T000000Z-aaaaaaa', '20261121T000000Z-bbbbbbb']),
        ...stopCommands(plan.runtime, module, plan.layout),
      ];
      for (const planned of commands) {
        const text = renderCommand(planned.command);
        const decision = await engine.check(text, {
          cwd: planned.cwd ?? plan.layout.appDir,
          home: plan.target.isRoot ? '/root' : '/home/deploy',
          systemdUnits: plan.runtime === 'systemd',
        });
        checked += 1;
        if (!decision.allowed) denied.push(`${plan.runtime}/rollback: ${decision.rule}: ${text}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(denied).toEqual([]);
  });
});
