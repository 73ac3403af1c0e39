import { z } from 'zod';
import { RequirementSchema } from '../../agents/index.js';
import { LogChunkViewSchema, ReviewViewSchema, TimestampSchema } from '../../engine/index.js';
import { REVIEW_VERDICTS, STEP_STATUSES, WORKFLOW_STATUSES } from '../../store/index.js';

const nullableTime = TimestampSchema.nullable();

/** A workflow as the API lists it: its recorded plan (the whole manifest) stays on the server. */
export const WorkflowViewSchema = z.strictObject({
  id: z.string(),
  status: z.enum(WORKFLOW_STATUSES),
  app: z.string(),
  tier: z.number().int().describe('1: from ai-module.yaml; 2: from stack detection'),
  source: z.string().describe('repository URL or path, credentials redacted'),
  ref: z.string().nullable(),
  commit_sha: z.string().nullable(),
  targets: z.array(z.string()),
  requested_by: z.string().describe('the principal: key:<id>, webhook:<repository>, cli:<user>…'),
  current_step: z.string().nullable(),
  release_id: z.string().nullable(),
  error: z.string().nullable(),
  attempt: z.number().int().min(0).describe('how many times a worker started or resumed it'),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  started_at: nullableTime,
  finished_at: nullableTime,
});
export type WorkflowView = z.infer<typeof WorkflowViewSchema>;

export const WorkflowListSchema = z.strictObject({
  items: z.array(WorkflowViewSchema).describe('newest first'),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const StepViewSchema = z.strictObject({
  target: z.string(),
  step: z.string(),
  status: z.enum(STEP_STATUSES),
  started_at: nullableTime,
  finished_at: nullableTime,
  exit_code: z.number().int().nullable(),
  error: z.string().nullable(),
});

const TARGET_RESULT_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type TargetResultStatus = (typeof TARGET_RESULT_STATUSES)[number];

export const WorkflowDetailSchema = WorkflowViewSchema.extend({
  steps: z.array(StepViewSchema),
  results: z
    .array(
      z.strictObject({
        target: z.string(),
        status: z.enum(TARGET_RESULT_STATUSES),
        serving_release: z.string().nullable().describe('the release the target serves now'),
        endpoint: z.string().nullable().describe('where the release answers, when the manifest names a port'),
      }),
    )
    .describe('one per target'),
  log_tail: z.array(LogChunkViewSchema).describe('the last 50 log chunks'),
  task_prompt: z
    .string()
    .nullable()
    .describe('tier 2: the prompt it was planned from (credentials redacted)'),
  requirements: z
    .array(RequirementSchema)
    .nullable()
    .describe('tier 2: every wish read from the prompt, met (how) or unmet (why)'),
  planner: z.strictObject({ provider: z.string(), model: z.string().nullable() }).nullable(),
  usage: z
    .strictObject({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) })
    .describe('tokens of every planner and diagnoser exchange, summed'),
  review: z
    .strictObject({ verdict: z.enum(REVIEW_VERDICTS), findings: ReviewViewSchema.shape.findings })
    .nullable()
    .describe('the policy review of the plan before anything ran; null until it ran'),
  approval: z
    .strictObject({
      decision: z.enum(['approved', 'rejected']),
      by: z.string(),
      at: TimestampSchema,
      reason: z.string().nullable(),
    })
    .nullable(),
  fixes: z
    .array(
      z.strictObject({
        attempt: z.number().int(),
        step: z.string(),
        target: z.string(),
        reason: z.string(),
        fix: z.record(z.string(), z.unknown()).nullable().describe('the proposed manifest change'),
        verdict: z.enum(REVIEW_VERDICTS).nullable(),
        applied: z.boolean(),
        at: TimestampSchema,
      }),
    )
    .describe('what the diagnoser proposed after a failed step, and whether it was applied'),
});

export const DecisionBodySchema = z
  .object({
    reason: z.string().min(1).max(500).optional().describe('kept on the workflow and in the audit log'),
  })
  .strict();

export const SubmittedSchema = z.strictObject({
  workflow_id: z.string(),
  app: z.string(),
  release_id: z.string(),
  targets: z.array(z.string()),
  status: z.literal('queued'),
  links: z.strictObject({ self: z.string(), events: z.string() }),
});

export const StoppedSchema = WorkflowViewSchema.extend({ message: z.string() });
