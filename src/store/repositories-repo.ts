import { sql, type Kysely, type Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, RepositoriesTable } from './schema.js';
import { isUniqueViolation, nowIso } from './sql-errors.js';
import type { Workflow } from './workflows-repo.js';

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

/** What push deduplication reads of a workflow. */
export type SourceWorkflow = Pick<
  Workflow,
  'id' | 'source' | 'app' | 'targets' | 'commitSha' | 'status' | 'createdAt'
>;

/**
 * The claim one registration holds on one pushed (ref, commit): whichever delivery takes it first
 * deploys it; a delivery of the same push under another id finds it taken.
 */
export interface PushClaim {
  outcome: string;
  workflowId: string | null;
  claimedAt: string;
}

/**
 * Claims live in `webhook_deliveries` next to the deliveries, under ids that no delivery can have
 * (`<provider>:<id>` there, `push:<registration>:<ref>:<commit>` here; a git ref has no `:`).
 */
const pushId = (repository: string, ref: string, commit: string): string =>
  `push:${repository}:${ref}:${commit}`;

/** `%` and `_` are LIKE wildcards: matched literally here. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

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

  /** Removes it (and its push claims) and returns the key id of its secret, for the caller to delete. */
  async remove(name: string): Promise<string> {
    const repo = await this.get(name);
    await this.db.deleteFrom('repositories').where('name', '=', name).execute();
    // Its push claims go too: a new registration under the name starts with none.
    await this.db
      .deleteFrom('webhook_deliveries')
      .where(sql<boolean>`id like ${`push:${likeLiteral(name)}:%`} escape '\\'`)
      .execute();
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

  /**
   * Workflows whose source contains `fragment` (case-insensitive), newest first: the candidates
   * for "this repository's deployments", which the caller narrows to the exact repository.
   */
  async workflowsFrom(fragment: string, limit = 500): Promise<SourceWorkflow[]> {
    const rows = await this.db
      .selectFrom('workflows')
      .select(['id', 'source', 'app', 'targets', 'commit_sha', 'status', 'created_at'])
      .where(sql<boolean>`lower(source) like ${`%${likeLiteral(fragment.toLowerCase())}%`} escape '\\'`)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      source: r.source,
      app: r.app,
      targets: JSON.parse(r.targets) as string[],
      commitSha: r.commit_sha,
      status: r.status,
      createdAt: r.created_at,
    }));
  }

  async findPush(repository: string, ref: string, commit: string): Promise<PushClaim | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select(['outcome', 'workflow_id', 'received_at'])
      .where('id', '=', pushId(repository, ref, commit))
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { outcome: row.outcome, workflowId: row.workflow_id, claimedAt: row.received_at };
  }

  /**
   * Takes the claim on a push for a delivery: false when it is already taken. With `previous`, takes
   * over that exact claim (one whose deployment failed) and false when another delivery did first.
   */
  async claimPush(
    claim: { repository: string; ref: string; commit: string; delivery: string },
    previous?: PushClaim,
  ): Promise<boolean> {
    const id = pushId(claim.repository, claim.ref, claim.commit);
    const outcome = `claimed by ${claim.delivery}`;
    if (previous === undefined) {
      return this.recordDelivery({ id, repository: claim.repository, outcome });
    }
    let update = this.db
      .updateTable('webhook_deliveries')
      .set({ outcome, workflow_id: null, received_at: nowIso() })
      .where('id', '=', id)
      .where('outcome', '=', previous.outcome)
      .where('received_at', '=', previous.claimedAt);
    update =
      previous.workflowId === null
        ? update.where('workflow_id', 'is', null)
        : update.where('workflow_id', '=', previous.workflowId);
    const result = await update.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** What became of a claimed push: the workflow it queued, or why it queued none. */
  async settlePush(
    repository: string,
    ref: string,
    commit: string,
    outcome: string,
    workflowId: string | null,
  ): Promise<void> {
    await this.settleDelivery(pushId(repository, ref, commit), outcome, workflowId);
  }
}
