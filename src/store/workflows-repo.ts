import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, WorkflowsTable, WorkflowStatus } from './schema.js';
import { compileOnce } from './compiled-query.js';
import { isUniqueViolation, nowIso } from './sql-errors.js';
import { tier2Columns, tier2Of, tier2Row } from './workflow-tier2.js';
import type { Tier2Create, Tier2Patch, WorkflowTier2 } from './workflow-tier2.js';

export interface Workflow extends WorkflowTier2 {
  id: string;
  tier: number;
  /** Repository URL or path, credentials redacted. */
  source: string;
  ref: string | null;
  commitSha: string | null;
  app: string;
  targets: string[];
  requestedBy: string;
  status: WorkflowStatus;
  /** One of the plan's steps, or null before the first one. */
  currentStep: string | null;
  releaseId: string | null;
  error: string | null;
  /** The plan snapshot as given (parsed JSON), or null. */
  plan: unknown;
  /** How many times the engine has started (or resumed) it. */
  attempt: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface NewWorkflow extends Tier2Create {
  id: string;
  tier: number;
  /** Must already have its credentials redacted: the store keeps it as given. */
  source: string;
  ref?: string | null;
  commitSha?: string | null;
  app: string;
  targets: string[];
  requestedBy: string;
  /** Default `queued`. */
  status?: WorkflowStatus;
  plan?: unknown;
  /** ISO-8601; default now. */
  createdAt?: string;
}

export type WorkflowPatch = Partial<
  Pick<
    Workflow,
    | 'status'
    | 'ref'
    | 'commitSha'
    | 'currentStep'
    | 'releaseId'
    | 'error'
    | 'plan'
    | 'attempt'
    | 'startedAt'
    | 'finishedAt'
  >
> &
  Tier2Patch;

export interface UpdateOptions {
  /** Compare-and-set: update only if the status is (one of) this, else `AUT_CONFLICT`. */
  expectStatus?: WorkflowStatus | readonly WorkflowStatus[];
  /** ISO-8601 `updated_at`; default now. */
  now?: string;
}

export interface WorkflowQuery {
  status?: WorkflowStatus | readonly WorkflowStatus[];
  app?: string;
  /** Default 50. */
  limit?: number;
  offset?: number;
}

type Row = Selectable<WorkflowsTable>;

const toWorkflow = (row: Row): Workflow => ({
  id: row.id,
  tier: Number(row.tier),
  source: row.source,
  ref: row.ref,
  commitSha: row.commit_sha,
  app: row.app,
  targets: JSON.parse(row.targets) as string[],
  requestedBy: row.requested_by,
  status: row.status,
  currentStep: row.current_step,
  releaseId: row.release_id,
  error: row.error,
  plan: row.plan === null ? null : (JSON.parse(row.plan) as unknown),
  attempt: Number(row.attempt),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  ...tier2Of(row),
});

const planText = (plan: unknown): string | null =>
  plan === undefined || plan === null ? null : JSON.stringify(plan);

const asList = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? (value as readonly T[]) : [value as T];

export const workflowNotFound = (id: string): AutomatosError =>
  new AutomatosError(
    'AUT_NOT_FOUND',
    `No workflow with id "${id}". List them with \`automatos workflows ls\`.`,
    {
      details: { workflowId: id },
    },
  );

function toColumns(patch: WorkflowPatch): Updateable<WorkflowsTable> {
  const columns: Updateable<WorkflowsTable> = {};
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.ref !== undefined) columns.ref = patch.ref;
  if (patch.commitSha !== undefined) columns.commit_sha = patch.commitSha;
  if (patch.currentStep !== undefined) columns.current_step = patch.currentStep;
  if (patch.releaseId !== undefined) columns.release_id = patch.releaseId;
  if (patch.error !== undefined) columns.error = patch.error;
  if (patch.plan !== undefined) columns.plan = planText(patch.plan);
  if (patch.attempt !== undefined) columns.attempt = patch.attempt;
  if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) columns.finished_at = patch.finishedAt;
  return { ...columns, ...tier2Columns(patch) };
}

export class WorkflowsRepo {
  /** The API reads a workflow on every request about one: compiled once. */
  private readonly byId;

  constructor(private readonly db: Kysely<Database>) {
    this.byId = compileOnce(db, (id: string) => db.selectFrom('workflows').selectAll().where('id', '=', id));
  }

  async create(workflow: NewWorkflow): Promise<Workflow> {
    const now = workflow.createdAt ?? nowIso();
    const row: Row = {
      id: workflow.id,
      tier: workflow.tier,
      source: workflow.source,
      ref: workflow.ref ?? null,
      commit_sha: workflow.commitSha ?? null,
      app: workflow.app,
      targets: JSON.stringify(workflow.targets),
      requested_by: workflow.requestedBy,
      status: workflow.status ?? 'queued',
      current_step: null,
      release_id: null,
      error: null,
      plan: planText(workflow.plan),
      attempt: 0,
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
      ...tier2Row(workflow),
    };
    try {
      await this.db.insertInto('workflows').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AutomatosError('AUT_CONFLICT', `A workflow with id "${workflow.id}" already exists.`, {
          details: { workflowId: workflow.id },
          cause: error,
        });
      }
      throw error;
    }
    return toWorkflow(row);
  }

  async find(id: string): Promise<Workflow | undefined> {
    const [row] = await this.byId(id);
    return row === undefined ? undefined : toWorkflow(row);
  }

  async get(id: string): Promise<Workflow> {
    const workflow = await this.find(id);
    if (workflow === undefined) throw workflowNotFound(id);
    return workflow;
  }

  /** Newest first. */
  async list(query: WorkflowQuery = {}): Promise<Workflow[]> {
    let select = this.db.selectFrom('workflows').selectAll();
    if (query.status !== undefined) {
      const statuses = asList(query.status);
      if (statuses.length === 0) return [];
      select = select.where('status', 'in', statuses);
    }
    if (query.app !== undefined) select = select.where('app', '=', query.app);
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0)
      .execute();
    return rows.map(toWorkflow);
  }

  /** Every workflow in one of `statuses`, oldest first (FIFO: what the engine resumes or queues). */
  /** How many workflows are in each status (metrics); statuses with none are left out. */
  async countByStatus(): Promise<Partial<Record<WorkflowStatus, number>>> {
    const rows = await this.db
      .selectFrom('workflows')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async listByStatus(statuses: readonly WorkflowStatus[]): Promise<Workflow[]> {
    if (statuses.length === 0) return [];
    const rows = await this.db
      .selectFrom('workflows')
      .selectAll()
      .where('status', 'in', statuses)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toWorkflow);
  }

  /** Applies the given fields (undefined ones are left alone) and returns the updated workflow. */
  async update(id: string, patch: WorkflowPatch, options: UpdateOptions = {}): Promise<Workflow> {
    let update = this.db
      .updateTable('workflows')
      .set({ ...toColumns(patch), updated_at: options.now ?? nowIso() })
      .where('id', '=', id);
    if (options.expectStatus !== undefined) {
      const expected = asList(options.expectStatus);
      // `in ()` is no valid SQL: nothing is expected, so nothing may be updated.
      update =
        expected.length === 0 ? update.where(sql<boolean>`1 = 0`) : update.where('status', 'in', expected);
    }
    const row = await update.returningAll().executeTakeFirst();
    if (row !== undefined) return toWorkflow(row);
    const current = await this.get(id);
    throw new AutomatosError(
      'AUT_CONFLICT',
      `Workflow "${id}" is ${current.status}, not ${asList(options.expectStatus ?? []).join(' or ')}.`,
      { details: { workflowId: id, status: current.status, expected: asList(options.expectStatus ?? []) } },
    );
  }

  /** Deletes the workflow with its steps and logs. */
  async remove(id: string): Promise<void> {
    const result = await this.db.deleteFrom('workflows').where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw workflowNotFound(id);
  }
}
