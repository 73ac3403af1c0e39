import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import type { Requirement } from '../../agents/index.js';
import { createRedactor } from '../../security/index.js';
import type { WorkflowApproval } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { concludeReview, findingLine, judgePlan, unapproved } from '../review/index.js';
import type { PlanReview } from '../review/index.js';
import type { DeployEvents } from './events.js';
import type { TargetRun } from './run-target.js';

export interface GateContext {
  workflowId: string;
  tier: 1 | 2;
  requirements: readonly Requirement[] | null;
  approval: WorkflowApproval | null;
  actor: Actor;
  events: DeployEvents;
}

export type GateDecision =
  | { action: 'run'; review: PlanReview }
  /** Waits for an operator: these findings are not approved yet. */
  | { action: 'park'; review: PlanReview; pending: string[] }
  | { action: 'deny'; review: PlanReview; error: AutomatosError };

/**
 * The review step of the flow (DESIGN): every command of every target's plan through the policy,
 * with the context the guard will use, before anything touches a target. The verdict is recorded on
 * the workflow and in the audit log. A denial stops the workflow with the rule and reason, and the
 * command is never sent; a tier-2 plan that needs approval waits for one (`workflows approve`),
 * unless an earlier approval already covers every finding.
 */
export async function reviewRuns(
  orch: Orchestrator,
  runs: readonly TargetRun[],
  ctx: GateContext,
): Promise<GateDecision> {
  const verdicts = (
    await Promise.all(
      runs.map((run) =>
        judgePlan(orch.policy, run.plan, run.target, createRedactor(Object.values(run.secrets))),
      ),
    )
  ).flat();
  const review = concludeReview({ tier: ctx.tier, verdicts, requirements: ctx.requirements });
  await orch.store.workflows.update(ctx.workflowId, {
    review: { verdict: review.verdict, findings: review.findings },
  });
  const denied = review.findings.find((f) => f.kind === 'denied');
  const pending = unapproved(review, ctx.approval);
  await orch.audit.append({
    ...ctx.actor,
    workflowId: ctx.workflowId,
    action: 'workflow.review',
    ...(denied?.kind === 'denied'
      ? {
          decision: 'deny',
          rule: denied.rule,
          risk: denied.risk,
          command: denied.command,
          target: denied.target,
        }
      : { decision: 'allow' }),
    details: {
      verdict: review.verdict,
      commands: review.commands,
      findings: review.findings.length,
      ...(pending.length === 0 ? {} : { awaiting: pending.length }),
    },
  });
  for (const run of runs) {
    const mine = review.findings.filter(
      (f) => f.kind === 'unmet_requirement' || f.target === run.target.name,
    );
    const text = [
      `${verdicts.filter((v) => v.target === run.target.name).length} command(s) reviewed under the ` +
        `${run.target.profile} policy: ${review.verdict}`,
      ...mine.map((f) => `  ${findingLine(f)}`),
    ];
    ctx.events.log(run.target.name, 'review', 'system', `${text.join('\n')}\n`);
  }
  if (denied?.kind === 'denied') {
    return {
      action: 'deny',
      review,
      error: new AutomatosError(
        'AUT_POLICY_DENIED',
        `the plan was refused before anything ran: ${denied.step} on ${denied.target} would run ` +
          `\`${denied.command}\`, denied by policy rule ${denied.rule}: ${denied.reason}`,
        {
          details: {
            target: denied.target,
            step: denied.step,
            rule: denied.rule,
            reason: denied.reason,
            risk: denied.risk,
            command: denied.command,
          },
        },
      ),
    };
  }
  if (pending.length > 0) return { action: 'park', review, pending };
  return { action: 'run', review };
}
