import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AlertsTable, Database, HealthState } from './schema.js';
import { nowIso } from './sql-errors.js';

/** A live release changed health state on one target. */
export interface Alert {
  id: string;
  app: string;
  target: string;
  releaseId: string | null;
  at: string;
  state: HealthState;
  /** null: the first result ever recorded for (app, target) was already unhealthy. */
  previousState: HealthState | null;
  /** One line for the operator, secrets already redacted by the caller. */
  message: string;
}

export type NewAlert = Pick<Alert, 'app' | 'target' | 'state' | 'message'> &
  Partial<Pick<Alert, 'id' | 'at' | 'releaseId' | 'previousState'>>;

export interface AlertQuery {
  app?: string;
  target?: string;
  /** Default 100. */
  limit?: number;
}

const toAlert = (row: Selectable<AlertsTable>): Alert => ({
  id: row.id,
  app: row.app,
  target: row.target,
  releaseId: row.release_id,
  at: row.at,
  state: row.state,
  previousState: row.previous_state,
  message: row.message,
});

export class AlertsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async record(alert: NewAlert): Promise<Alert> {
    const row: Selectable<AlertsTable> = {
      id: alert.id ?? randomUUID(),
      app: alert.app,
      target: alert.target,
      release_id: alert.releaseId ?? null,
      at: alert.at ?? nowIso(),
      state: alert.state,
      previous_state: alert.previousState ?? null,
      message: alert.message,
    };
    await this.db.insertInto('alerts').values(row).execute();
    return toAlert(row);
  }

  /** Newest first, optionally of one app and/or one target. */
  async list(query: AlertQuery = {}): Promise<Alert[]> {
    let select = this.db.selectFrom('alerts').selectAll();
    if (query.app !== undefined) select = select.where('app', '=', query.app);
    if (query.target !== undefined) select = select.where('target', '=', query.target);
    const rows = await select
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 100)
      .execute();
    return rows.map(toAlert);
  }
}
