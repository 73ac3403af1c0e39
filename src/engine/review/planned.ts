import type { PolicyEngine } from '../../policy/index.js';
import { localPolicyContext } from '../local-target.js';
import type { PlannedDeployment } from '../plan-deployment.js';
import { concludeReview } from './conclude.js';
import type { PlanReview } from './conclude.js';
import { judgePlan } from './judge.js';
import type { CommandVerdict, ReviewTarget } from './judge.js';

export interface PlannedReview {
  /** One per command of the plan, in plan order. */
  verdicts: CommandVerdict[];
  review: PlanReview;
}

/**
 * The review a deployment of this plan would get, without running anything: every command's policy
 * verdict for the target (default: `local`), and whether it would run, wait for approval or be
 * refused. `automatos plan`, the API's plan and MCP's `plan` show it.
 */
export async function reviewPlanned(
  planned: PlannedDeployment,
  options: { policy: PolicyEngine; target?: ReviewTarget },
): Promise<PlannedReview> {
  const verdicts = await judgePlan(options.policy, planned.plan, options.target ?? localPolicyContext());
  const review = concludeReview({
    tier: planned.tier,
    verdicts,
    requirements: planned.prompted?.requirements ?? null,
  });
  return { verdicts, review };
}
