import type { RollbackOutcome } from '../../engine/index.js';
import type { Alert, App, HealthResult, Release } from '../../store/index.js';
import type { RemoteClient } from './client.js';

interface AppJson {
  name: string;
  created_at: string;
  updated_at: string;
}

export interface AppDetail {
  releases: Release[];
  health: HealthResult[];
  alerts: Alert[];
}

const path = (app: string): string => `/api/v1/apps/${encodeURIComponent(app)}`;

export async function listApps(client: RemoteClient): Promise<App[]> {
  const { items } = (await client.request('GET', '/api/v1/apps')) as { items: AppJson[] };
  return items.map((a) => ({ name: a.name, createdAt: a.created_at, updatedAt: a.updated_at }));
}

/** Releases, the newest 100 health results and alerts: the records as the store holds them. */
export async function showApp(client: RemoteClient, app: string): Promise<AppDetail> {
  return (await client.request('GET', path(app))) as AppDetail;
}

/** Answers when the rollback is done (switched, restarted, verified). */
export async function rollback(
  client: RemoteClient,
  app: string,
  input: { target: string; to?: string },
): Promise<RollbackOutcome> {
  const outcome = (await client.request('POST', `${path(app)}/rollback`, { body: input })) as {
    workflow_id: string;
    app: string;
    target: string;
    from: string | null;
    to: string;
  };
  return {
    workflowId: outcome.workflow_id,
    app: outcome.app,
    target: outcome.target,
    from: outcome.from,
    to: outcome.to,
  };
}
