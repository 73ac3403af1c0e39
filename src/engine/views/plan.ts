import { z } from 'zod';
import { AiModuleOutputSchema } from '../../manifest/index.js';
import { RequirementSchema } from '../../agents/index.js';
import { planStepsToJson } from '../../plan/index.js';
import type { PlannedDeployment } from '../plan-deployment.js';
import type { PlannedReview } from '../review/planned.js';
import { commandPolicyView, ReviewViewSchema, reviewView } from './review.js';
import { DetectionViewSchema } from './detection.js';
import { AppLayoutViewSchema, PlanStepViewSchema, TargetFactsViewSchema } from './plan-steps.js';

/** A dry-run plan with every command as data. */
export const PlanViewSchema = z.strictObject({
  tier: z.union([z.literal(1), z.literal(2)]).describe('1: from ai-module.yaml; 2: from stack detection'),
  source: z.strictObject({
    kind: z.enum(['local', 'git']),
    spec: z.string().describe('what was given, credentials redacted'),
    ref: z.string().nullable(),
    commit: z.string().nullable(),
  }),
  manifest_file: z.string().nullable(),
  target: TargetFactsViewSchema,
  runtime: z.enum(['process', 'systemd', 'docker']),
  release_id: z.string(),
  layout: AppLayoutViewSchema,
  module: AiModuleOutputSchema.describe('the normalized manifest, every default filled in'),
  steps: z.array(PlanStepViewSchema),
  on_failure: z.string(),
  warnings: z.array(z.string()),
  detection: DetectionViewSchema,
  prompt: z.string().nullable().describe('tier 2: the task prompt the manifest was planned from'),
  requirements: z
    .array(RequirementSchema)
    .nullable()
    .describe('tier 2 from a prompt: every wish of the prompt, met (how) or unmet (why); null without one'),
  planner: z
    .strictObject({
      provider: z.string(),
      model: z.string().nullable(),
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      notes: z.array(z.string()),
    })
    .nullable()
    .describe('tier 2 from a prompt: who planned it and the tokens spent'),
  review: ReviewViewSchema.optional().describe('the policy review of every command, when reviewed'),
});
export type PlanView = z.infer<typeof PlanViewSchema>;

/** With `reviewed`, every command carries its policy verdict and the plan its review. */
export const planView = (result: PlannedDeployment, reviewed?: PlannedReview): PlanView => ({
  tier: result.tier,
  source: result.source,
  manifest_file: result.manifestFile,
  target: result.plan.target,
  runtime: result.plan.runtime,
  release_id: result.plan.releaseId,
  layout: result.plan.layout,
  module: result.module,
  steps:
    reviewed === undefined
      ? planStepsToJson(result.plan)
      : planStepsToJson(result.plan).map((step) => ({
          ...step,
          commands: step.commands.map((command, index) => {
            const verdict = reviewed.verdicts.find((v) => v.step === step.name && v.index === index);
            return verdict === undefined ? command : { ...command, policy: commandPolicyView(verdict) };
          }),
        })),
  on_failure: result.plan.onFailure,
  warnings: result.warnings,
  detection: result.detection,
  prompt: result.prompted?.prompt ?? null,
  requirements: result.prompted?.requirements ?? null,
  planner:
    result.prompted === null
      ? null
      : {
          provider: result.prompted.provider,
          model: result.prompted.model,
          input_tokens: result.prompted.usage.inputTokens,
          output_tokens: result.prompted.usage.outputTokens,
          notes: result.prompted.notes,
        },
  ...(reviewed === undefined ? {} : { review: reviewView(reviewed.review) }),
});
