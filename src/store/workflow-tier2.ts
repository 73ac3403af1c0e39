import type { Selectable, Updateable } from 'kysely';
import type { ReviewVerdict, WorkflowsTable } from './schema.js';

/** The review of a workflow's plan, as the engine recorded it. Findings are the engine's JSON. */
export interface WorkflowReview {
  verdict: ReviewVerdict;
  findings: unknown[];
}

/** An operator's answer to a plan that waited for approval. */
export interface WorkflowApproval {
  decision: 'approved' | 'rejected';
  /** The principal who decided. */
  by: string;
  at: string;
  reason: string | null;
  /** Keys of the findings the approval covers: a plan that gains others must be approved again. */
  covers: string[];
}

/** Tier-2 fields of a workflow; all null (usage zero) for one that was not planned from a prompt. */
export interface WorkflowTier2 {
  taskPrompt: string | null;
  /** The prompt's requirements as recorded (parsed JSON), or null. */
  requirements: unknown[] | null;
  /** Who planned it: `rules`, `openai`, `anthropic`, and the model. */
  agent: { provider: string; model: string | null } | null;
  /** Tokens of every agent exchange of the workflow (planner and diagnoser), summed. */
  usage: { inputTokens: number; outputTokens: number };
  review: WorkflowReview | null;
  approval: WorkflowApproval | null;
}

export type Tier2Patch = Partial<Pick<WorkflowTier2, 'review' | 'approval'>>;
export type Tier2Create = Partial<Pick<WorkflowTier2, 'taskPrompt' | 'requirements' | 'agent'>>;

const parsed = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function tier2Of(row: Selectable<WorkflowsTable>): WorkflowTier2 {
  return {
    taskPrompt: row.task_prompt,
    requirements: parsed<unknown[]>(row.requirements),
    agent: row.agent_provider === null ? null : { provider: row.agent_provider, model: row.agent_model },
    usage: { inputTokens: Number(row.input_tokens), outputTokens: Number(row.output_tokens) },
    review:
      row.review_verdict === null
        ? null
        : { verdict: row.review_verdict, findings: parsed<unknown[]>(row.review_findings) ?? [] },
    approval: parsed<WorkflowApproval>(row.approval),
  };
}

/** Columns of a new row. */
export function tier2Row(
  create: Tier2Create,
): Pick<
  Selectable<WorkflowsTable>,
  | 'task_prompt'
  | 'requirements'
  | 'agent_provider'
  | 'agent_model'
  | 'input_tokens'
  | 'output_tokens'
  | 'review_verdict'
  | 'review_findings'
  | 'approval'
> {
  return {
    task_prompt: create.taskPrompt ?? null,
    requirements:
      create.requirements === undefined || create.requirements === null
        ? null
        : JSON.stringify(create.requirements),
    agent_provider: create.agent?.provider ?? null,
    agent_model: create.agent?.model ?? null,
    input_tokens: 0,
    output_tokens: 0,
    review_verdict: null,
    review_findings: null,
    approval: null,
  };
}

/** Columns of an update; undefined fields are left alone, null clears. */
export function tier2Columns(patch: Tier2Patch): Updateable<WorkflowsTable> {
  const columns: Updateable<WorkflowsTable> = {};
  if (patch.review !== undefined) {
    columns.review_verdict = patch.review?.verdict ?? null;
    columns.review_findings = patch.review === null ? null : JSON.stringify(patch.review.findings);
  }
  if (patch.approval !== undefined) {
    columns.approval = patch.approval === null ? null : JSON.stringify(patch.approval);
  }
  return columns;
}
