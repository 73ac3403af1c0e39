import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, HealthResultsTable } from './schema.js';
import { nowIso } from './sql-errors.js';

export interface HealthResult {
  id: string;
  app: string;
  target: string;
  releaseId: string | null;
  at: string;
  healthy: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  /** Short reason or the failing check's output (redacted by the caller). */
  detail: string | null;
}

export type NewHealthResult = Pick<HealthResult, 'app' | 'target' | 'healthy'> &
  Partial<Pick<HealthResult, 'id' | 'at' | 'releaseId' | 'statusCode' | 'latencyMs' | 'detail'>>;

export interface HealthQuery {
  target?: string;
  /** Default 100. */
  limit?: number;
}

const toResult = (row: Selectable<HealthResultsTable>): HealthResult => ({
  id: row.id,
  app: row.app,
  target: row.target,
  releaseId: row.release_id,
  at: row.at,
  healthy: Number(row.healthy) === 1,
  statusCode: row.status_code === null ? null : Number(row.status_code),
  latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
  detail: row.detail,
});

export class HealthRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async record(result: NewHealthResult): Promise<HealthResult> {
    const row: Selectable<HealthResultsTable> = {
      id: result.id ?? randomUUID(),
      app: result.app,
      target: result.target,
      release_id: result.releaseId ?? null,
      at: result.at ?? nowIso(),
      healthy: result.healthy ? 1 : 0,
      status_code: result.statusCode ?? null,
      latency_ms:
        result.latencyMs === undefined || result.latencyMs === null ? null : Math.round(result.latencyMs),
      detail: result.detail ?? null,
    };
    await this.db.insertInto('health_results').values(row).execute();
    return toResult(row);
  }

  /** Newest first. */
  async list(app: string, query: HealthQuery = {}): Promise<HealthResult[]> {
    let select = this.db.selectFrom('health_results').selectAll().where('app', '=', app);
    if (query.target !== undefined) select = select.where('target', '=', query.target);
    const rows = await select
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 100)
      .execute();
    return rows.map(toResult);
  }

  /** The newest result of (app, target): what a state change (healthy <-> unhealthy) compares to. */
  async latest(app: string, target: string): Promise<HealthResult | undefined> {
    return (await this.list(app, { target, limit: 1 }))[0];
  }

  /** Deletes results older than `before` (ISO-8601); returns how many. */
  async prune(before: string): Promise<number> {
    const result = await this.db.deleteFrom('health_results').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
