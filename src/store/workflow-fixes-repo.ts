import type { Kysely, Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, ReviewVerdict, WorkflowFixesTable } from './schema.js';
import { compileOnce } from './compiled-query.js';
import { isForeignKeyViolation, isUniqueViolation, nowIso } from './sql-errors.js';
import { workflowNotFound } from './workflows-repo.js';

/** A diagnosis recorded on a workflow: what failed, what was proposed and why, and what came of it. */
export interface FixRecord {
  workflowId: string;
  /** 1 or 2. */
  attempt: number;
  step: string;
  target: string;
  reason: string;
  /** The proposed change (the agents' Fix as JSON), or null when the diagnoser had none. */
  fix: unknown;
  /** The review of the plan with the fix applied; null when it was not reviewed. */
  verdict: ReviewVerdict | null;
  /** Whether the deployment went on with it. A tier-1 suggestion is never applied. */
  applied: boolean;
  at: string;
}

export type NewFix = Omit<FixRecord, 'at'> & { at?: string };

const toRecord = (row: Selectable<WorkflowFixesTable>): FixRecord => ({
  workflowId: row.workflow_id,
  attempt: Number(row.attempt),
  step: row.step,
  target: row.target,
  reason: row.reason,
  fix: row.fix === null ? null : (JSON.parse(row.fix) as unknown),
  verdict: row.verdict,
  applied: Number(row.applied) === 1,
  at: row.at,
});

export class WorkflowFixesRepo {
  // On the API's hot path (GET /workflows/{id}): built and compiled once.
  private readonly byWorkflow;

  constructor(private readonly db: Kysely<Database>) {
    this.byWorkflow = compileOnce(db, (workflowId: string) =>
      db.selectFrom('workflow_fixes').selectAll().where('workflow_id', '=', workflowId).orderBy('attempt'),
    );
  }

  /** Records attempt N once; a second record of the same attempt is AUT_CONFLICT. */
  async record(fix: NewFix): Promise<FixRecord> {
    const row: Selectable<WorkflowFixesTable> = {
      workflow_id: fix.workflowId,
      attempt: fix.attempt,
      step: fix.step,
      target: fix.target,
      reason: fix.reason,
      fix: fix.fix === null || fix.fix === undefined ? null : JSON.stringify(fix.fix),
      verdict: fix.verdict,
      applied: fix.applied ? 1 : 0,
      at: fix.at ?? nowIso(),
    };
    try {
      await this.db.insertInto('workflow_fixes').values(row).execute();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw workflowNotFound(fix.workflowId);
      if (isUniqueViolation(error)) {
        throw new AutomatosError(
          'AUT_CONFLICT',
          `workflow ${fix.workflowId} already has a fix for attempt ${fix.attempt}`,
          { details: { workflowId: fix.workflowId, attempt: fix.attempt }, cause: error },
        );
      }
      throw error;
    }
    return toRecord(row);
  }

  /** Oldest attempt first. */
  async list(workflowId: string): Promise<FixRecord[]> {
    return (await this.byWorkflow(workflowId)).map(toRecord);
  }
}
