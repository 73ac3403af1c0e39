import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { compileOnce } from './compiled-query.js';
import type { Database, StepStatus, WorkflowStepsTable } from './schema.js';
import { isForeignKeyViolation } from './sql-errors.js';
import { workflowNotFound } from './workflows-repo.js';

/** One step of a workflow on one target. */
export interface StepRecord {
  workflowId: string;
  target: string;
  step: string;
  /** The step's index in the plan (listings come back in this order). */
  position: number;
  status: StepStatus;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  error: string | null;
}

/**
 * Identifies the step and sets `status`; the other fields are written when given and otherwise
 * keep their stored value (null for a new step).
 */
export type StepUpsert = Pick<StepRecord, 'workflowId' | 'target' | 'step' | 'status'> &
  Partial<Pick<StepRecord, 'position' | 'startedAt' | 'finishedAt' | 'exitCode' | 'error'>>;

const toStep = (row: Selectable<WorkflowStepsTable>): StepRecord => ({
  workflowId: row.workflow_id,
  target: row.target,
  step: row.step,
  position: Number(row.position),
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  exitCode: row.exit_code === null ? null : Number(row.exit_code),
  error: row.error,
});

export class StepsRepo {
  /** Read on every request for a workflow: compiled once. */
  private readonly ofWorkflow;

  constructor(private readonly db: Kysely<Database>) {
    this.ofWorkflow = compileOnce(db, (workflowId: string) =>
      db
        .selectFrom('workflow_steps')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .orderBy('position')
        .orderBy('target')
        .orderBy('step'),
    );
  }

  async upsert(step: StepUpsert): Promise<StepRecord> {
    const changes: Updateable<WorkflowStepsTable> = { status: step.status };
    if (step.position !== undefined) changes.position = step.position;
    if (step.startedAt !== undefined) changes.started_at = step.startedAt;
    if (step.finishedAt !== undefined) changes.finished_at = step.finishedAt;
    if (step.exitCode !== undefined) changes.exit_code = step.exitCode;
    if (step.error !== undefined) changes.error = step.error;
    const row: Insertable<WorkflowStepsTable> = {
      workflow_id: step.workflowId,
      target: step.target,
      step: step.step,
      position: step.position ?? 0,
      status: step.status,
      started_at: step.startedAt ?? null,
      finished_at: step.finishedAt ?? null,
      exit_code: step.exitCode ?? null,
      error: step.error ?? null,
    };
    try {
      const saved = await this.db
        .insertInto('workflow_steps')
        .values(row)
        .onConflict((oc) => oc.columns(['workflow_id', 'target', 'step']).doUpdateSet(changes))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStep(saved);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw workflowNotFound(step.workflowId);
      throw error;
    }
  }

  async find(workflowId: string, target: string, step: string): Promise<StepRecord | undefined> {
    const row = await this.db
      .selectFrom('workflow_steps')
      .selectAll()
      .where('workflow_id', '=', workflowId)
      .where('target', '=', target)
      .where('step', '=', step)
      .executeTakeFirst();
    return row === undefined ? undefined : toStep(row);
  }

  /** In plan order (position), then by target and step name. */
  async list(workflowId: string): Promise<StepRecord[]> {
    return (await this.ofWorkflow(workflowId)).map(toStep);
  }
}
