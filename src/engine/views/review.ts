import { z } from 'zod';
import { REVIEW_VERDICTS } from '../../store/index.js';
import type { CommandVerdict, PlanReview } from '../review/index.js';

/** One command's policy verdict, judged before anything runs, as the guard will judge it. */
export const CommandPolicyViewSchema = z.strictObject({
  decision: z.enum(['allow', 'deny']),
  rule: z.string().describe('the deciding rule; under the audit profile, the one that would deny'),
  reason: z.string(),
  risk: z.number().int().min(0).max(100),
});
export type CommandPolicyView = z.infer<typeof CommandPolicyViewSchema>;

export const commandPolicyView = (v: CommandVerdict): CommandPolicyView => ({
  decision: v.decision,
  rule: v.rule,
  reason: v.reason,
  risk: v.risk,
});

const CommandFindingSchema = z.strictObject({
  kind: z.enum(['denied', 'high_risk']),
  target: z.string(),
  step: z.string(),
  command: z.string(),
  rule: z.string(),
  reason: z.string(),
  risk: z.number().int(),
  key: z.string(),
});

const RequirementFindingSchema = z.strictObject({
  kind: z.literal('unmet_requirement'),
  text: z.string(),
  why: z.string(),
  key: z.string(),
});

/** The review of a plan: run it, wait for an operator's approval, or refuse it; and why. */
export const ReviewViewSchema = z.strictObject({
  verdict: z.enum(REVIEW_VERDICTS),
  commands: z.number().int().describe('commands judged'),
  findings: z.array(z.union([CommandFindingSchema, RequirementFindingSchema])),
});
export type ReviewView = z.infer<typeof ReviewViewSchema>;

export const reviewView = (review: PlanReview): ReviewView => ({
  verdict: review.verdict,
  commands: review.commands,
  findings: review.findings,
});
