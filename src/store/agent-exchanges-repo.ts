import { sql, type Kysely, type Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { AgentExchangesTable, Database } from './schema.js';
import { isForeignKeyViolation, isUniqueViolation } from './sql-errors.js';
import { workflowNotFound } from './workflows-repo.js';

/** One request to a planner or diagnoser provider and its answer, both already redacted. */
export interface AgentExchangeRecord {
  workflowId: string;
  seq: number;
  agent: 'planner' | 'diagnoser';
  provider: string;
  model: string | null;
  request: string;
  response: string;
  inputTokens: number | null;
  outputTokens: number | null;
  ok: boolean;
  error: string | null;
  at: string;
}

export type NewAgentExchange = Omit<AgentExchangeRecord, 'workflowId' | 'seq'>;

const toRecord = (row: Selectable<AgentExchangesTable>): AgentExchangeRecord => ({
  workflowId: row.workflow_id,
  seq: Number(row.seq),
  agent: row.agent,
  provider: row.provider,
  model: row.model,
  request: row.request,
  response: row.response,
  inputTokens: row.input_tokens === null ? null : Number(row.input_tokens),
  outputTokens: row.output_tokens === null ? null : Number(row.output_tokens),
  ok: Number(row.ok) === 1,
  error: row.error,
  at: row.at,
});

/** A writer that still collides on the key (another database session's snapshot) goes again. */
const MAX_ATTEMPTS = 5;

export class AgentExchangesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Appends exchanges in order and adds their tokens to the workflow's totals, in one transaction:
   * the totals always equal the sum of the stored exchanges.
   */
  async record(workflowId: string, exchanges: readonly NewAgentExchange[]): Promise<void> {
    if (exchanges.length === 0) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.db.transaction().execute(async (trx) => {
          const input = exchanges.reduce((n, e) => n + (e.inputTokens ?? 0), 0);
          const output = exchanges.reduce((n, e) => n + (e.outputTokens ?? 0), 0);
          // Updating the workflow first locks its row (SQLite: the database), so concurrent
          // recorders of one workflow take their seqs one after the other.
          const updated = await trx
            .updateTable('workflows')
            .set({
              input_tokens: sql<number>`input_tokens + ${input}`,
              output_tokens: sql<number>`output_tokens + ${output}`,
            })
            .where('id', '=', workflowId)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) throw workflowNotFound(workflowId);
          const last = await trx
            .selectFrom('agent_exchanges')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .where('workflow_id', '=', workflowId)
            .executeTakeFirst();
          const first = Number(last?.seq ?? 0) + 1;
          await trx
            .insertInto('agent_exchanges')
            .values(
              exchanges.map((e, i) => ({
                workflow_id: workflowId,
                seq: first + i,
                agent: e.agent,
                provider: e.provider,
                model: e.model,
                request: e.request,
                response: e.response,
                input_tokens: e.inputTokens,
                output_tokens: e.outputTokens,
                ok: e.ok ? 1 : 0,
                error: e.error,
                at: e.at,
              })),
            )
            .execute();
        });
        return;
      } catch (error) {
        if (isForeignKeyViolation(error)) throw workflowNotFound(workflowId);
        if (isUniqueViolation(error) && attempt < MAX_ATTEMPTS) continue;
        if (isUniqueViolation(error)) {
          throw new AutomatosError('AUT_CONFLICT', `could not record the agent exchanges of ${workflowId}`, {
            details: { workflowId },
            cause: error,
          });
        }
        throw error;
      }
    }
  }

  /** In the order they were made. */
  async list(workflowId: string): Promise<AgentExchangeRecord[]> {
    const rows = await this.db
      .selectFrom('agent_exchanges')
      .selectAll()
      .where('workflow_id', '=', workflowId)
      .orderBy('seq')
      .execute();
    return rows.map(toRecord);
  }
}
