import type { Kysely, Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, RepositoriesTable } from './schema.js';
import { isUniqueViolation, nowIso } from './sql-errors.js';

export type ForgeProvider = 'github' | 'gitlab';

/** A repository whose pushes to `branch` deploy to `targets` (GitOps). */
export interface Repository {
  name: string;
  url: string;
  urlKey: string;
  provider: ForgeProvider;
  branch: string;
  targets: string[];
  /** The webhook secret, encrypted in the keys table. */
  secretKeyId: string;
  createdAt: string;
}

export type NewRepository = Omit<Repository, 'createdAt'> & { createdAt?: string };

const toRepository = (row: Selectable<RepositoriesTable>): Repository => ({
  name: row.name,
  url: row.url,
  urlKey: row.url_key,
  provider: row.provider,
  branch: row.branch,
  targets: JSON.parse(row.targets) as string[],
  secretKeyId: row.secret_key_id,
  createdAt: row.created_at,
});

const notFound = (name: string): AutomatosError =>
  new AutomatosError(
    'AUT_NOT_FOUND',
    `No repository named "${name}". List them with \`automatos repos ls\`.`,
    {
      details: { repository: name },
    },
  );

export class RepositoriesRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(repo: NewRepository): Promise<Repository> {
    const row: Selectable<RepositoriesTable> = {
      name: repo.name,
      url: repo.url,
      url_key: repo.urlKey,
      provider: repo.provider,
      branch: repo.branch,
      targets: JSON.stringify(repo.targets),
      secret_key_id: repo.secretKeyId,
      created_at: repo.createdAt ?? nowIso(),
    };
    try {
      await this.db.insertInto('repositories').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AutomatosError('AUT_CONFLICT', `A repository named "${repo.name}" is already registered.`, {
          details: { repository: repo.name },
        });
      }
      throw error;
    }
    return toRepository(row);
  }

  async get(name: string): Promise<Repository> {
    const row = await this.db
      .selectFrom('repositories')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (row === undefined) throw notFound(name);
    return toRepository(row);
  }

  async list(): Promise<Repository[]> {
    return (await this.db.selectFrom('repositories').selectAll().orderBy('name').execute()).map(toRepository);
  }

  /** Every registration of one repository (by url key) and provider, by name. */
  async findByUrlKey(urlKeys: readonly string[], provider: ForgeProvider): Promise<Repository[]> {
    if (urlKeys.length === 0) return [];
    const rows = await this.db
      .selectFrom('repositories')
      .selectAll()
      .where('url_key', 'in', urlKeys)
      .where('provider', '=', provider)
      .orderBy('name')
      .execute();
    return rows.map(toRepository);
  }

  /** Removes it and returns the key id of its secret, for the caller to delete. */
  async remove(name: string): Promise<string> {
    const repo = await this.get(name);
    await this.db.deleteFrom('repositories').where('name', '=', name).execute();
    return repo.secretKeyId;
  }

  /**
   * Records a delivery once: false when its id was seen before (a replay, or the forge retrying a
   * delivery that already deployed), so the caller does nothing.
   */
  async recordDelivery(delivery: {
    id: string;
    repository: string | null;
    outcome: string;
    workflowId?: string | null;
  }): Promise<boolean> {
    try {
      await this.db
        .insertInto('webhook_deliveries')
        .values({
          id: delivery.id,
          repository: delivery.repository,
          received_at: nowIso(),
          outcome: delivery.outcome,
          workflow_id: delivery.workflowId ?? null,
        })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** The outcome of a delivery once known (the workflow it started, or why it did nothing). */
  async settleDelivery(id: string, outcome: string, workflowId: string | null): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ outcome, workflow_id: workflowId })
      .where('id', '=', id)
      .execute();
  }
}
