import type { GuardedTarget } from '../../exec/index.js';
import { renderCommand } from '../../plan/index.js';
import type { DeploymentPlan, PlannedCommand, StepName } from '../../plan/index.js';
import type { PolicyEngine } from '../../policy/index.js';
import type { Redactor } from '../../security/index.js';

/** The policy context of a target, without its connection: what the guard judges commands with. */
export type ReviewTarget = Pick<GuardedTarget, 'name' | 'profile' | 'home' | 'writableRoots'>;

/** The policy's decision on one command of a plan, made before anything of the plan runs. */
export interface CommandVerdict {
  target: string;
  step: StepName;
  /** The position of the command in its step. */
  index: number;
  /** The exact text the guard will judge (secrets redacted). */
  command: string;
  cwd: string;
  decision: 'allow' | 'deny';
  rule: string;
  reason: string;
  risk: number;
  /** Under the `audit` profile: the rule that would have denied it; else null. */
  wouldDeny: string | null;
  /** Stable across release ids: what an approval of this command refers to. */
  key: string;
}

/**
 * The working directory the guard will judge a planned command in: an upload's untar runs in the
 * release directory (GuardedExecutor.upload), every other command in its cwd or `/` (runPlanned).
 */
const cwdOf = (plan: DeploymentPlan, planned: PlannedCommand): string =>
  planned.stdin?.kind === 'tar' ? plan.layout.releaseDir : (planned.cwd ?? '/');

/**
 * Every command of the plan through the policy engine with the target's own context — profile,
 * writable roots, home, and the systemd unit files its runtime writes — exactly as the guarded
 * executor will judge it when it runs. Nothing is run and nothing is audited here.
 */
export async function judgePlan(
  policy: PolicyEngine,
  plan: DeploymentPlan,
  target: ReviewTarget,
  shown: Redactor = (text) => text,
): Promise<CommandVerdict[]> {
  const verdicts: CommandVerdict[] = [];
  for (const step of plan.steps) {
    for (const [index, planned] of step.commands.entries()) {
      const command = renderCommand(planned.command);
      const cwd = cwdOf(plan, planned);
      const decision = await policy.check(command, {
        cwd,
        home: target.home,
        profile: target.profile,
        systemdUnits: plan.runtime === 'systemd',
        ...(target.writableRoots === undefined ? {} : { writableRoots: target.writableRoots }),
      });
      const wouldDeny = decision.wouldDeny?.rule ?? null;
      const rule = decision.allowed ? (wouldDeny ?? decision.rule) : decision.rule;
      verdicts.push({
        target: target.name,
        step: step.name,
        index,
        command: shown(command),
        cwd,
        decision: decision.decision,
        rule,
        reason: shown(decision.reason),
        risk: decision.risk,
        wouldDeny,
        key: `command:${target.name}:${step.name}:${rule}:${shown(command).replaceAll(plan.releaseId, '<release>')}`,
      });
    }
  }
  return verdicts;
}
