import type { Requirement } from '../../agents/index.js';
import type { ReviewVerdict, WorkflowApproval } from '../../store/index.js';
import type { CommandVerdict } from './judge.js';

/**
 * An allowed command at or above this risk needs an operator's approval in a tier-2 plan. Allowed
 * commands carry a risk only when the target runs the `audit` profile and the command would have
 * been denied under `standard` (the lowest such rule, unresolved_path, is 50): a plan a model wrote
 * does not get to use the audit profile's leniency unseen.
 */
export const HIGH_RISK = 50;

export type ReviewFinding =
  | {
      kind: 'denied' | 'high_risk';
      target: string;
      step: string;
      command: string;
      rule: string;
      reason: string;
      risk: number;
      key: string;
    }
  | { kind: 'unmet_requirement'; text: string; why: string; key: string };

export interface PlanReview {
  verdict: ReviewVerdict;
  findings: ReviewFinding[];
  /** How many commands were judged, over every target. */
  commands: number;
}

export interface ReviewInput {
  tier: 1 | 2;
  verdicts: readonly CommandVerdict[];
  /** The prompt's requirements (tier 2 with a prompt); unmet ones need approval. */
  requirements: readonly Requirement[] | null;
}

const commandFinding = (kind: 'denied' | 'high_risk', v: CommandVerdict): ReviewFinding => ({
  kind,
  target: v.target,
  step: v.step,
  command: v.command,
  rule: v.rule,
  reason: v.reason,
  risk: v.risk,
  key: v.key,
});

/**
 * The review's verdict: `denied` when the policy denies any command (nothing may override that);
 * for tier 2, `approval_required` when a requirement of the prompt is unmet or an allowed command is
 * high-risk; else `allowed`. A tier-1 manifest is the operator's own, committed: its high-risk
 * commands are recorded as findings but never hold it back.
 */
export function concludeReview(input: ReviewInput): PlanReview {
  const denied = input.verdicts.filter((v) => v.decision === 'deny').map((v) => commandFinding('denied', v));
  const risky = input.verdicts
    .filter((v) => v.decision === 'allow' && v.risk >= HIGH_RISK)
    .map((v) => commandFinding('high_risk', v));
  const unmet: ReviewFinding[] = (input.requirements ?? []).flatMap((r) =>
    r.status === 'unmet'
      ? [{ kind: 'unmet_requirement', text: r.text, why: r.why, key: `requirement:${r.text}` }]
      : [],
  );
  const needsApproval = input.tier === 2 && (risky.length > 0 || unmet.length > 0);
  const verdict: ReviewVerdict =
    denied.length > 0 ? 'denied' : needsApproval ? 'approval_required' : 'allowed';
  return {
    verdict,
    // Never trimmed: an approval covers exactly the findings listed, so a finding left off the list
    // would run unapproved. The list is bounded anyway: one per command of the plan, and the
    // planner's output schema caps the requirements.
    findings: [...denied, ...risky, ...unmet],
    commands: input.verdicts.length,
  };
}

/** The findings an operator must approve: every high-risk command and unmet requirement (tier 2). */
export const approvalKeys = (review: PlanReview): string[] =>
  review.verdict === 'approval_required'
    ? [...new Set(review.findings.filter((f) => f.kind !== 'denied').map((f) => f.key))]
    : [];

/**
 * What an approval leaves unapproved: a plan that changed after it was approved (other target
 * facts, a diagnoser's fix) and gained a finding must be approved again.
 */
export function unapproved(review: PlanReview, approval: WorkflowApproval | null): string[] {
  const covered = new Set(approval?.decision === 'approved' ? approval.covers : []);
  return approvalKeys(review).filter((key) => !covered.has(key));
}
