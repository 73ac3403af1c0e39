import type { Kysely, Selectable, Updateable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { AppsTable, Database, ReleasesTable, ReleaseStatus } from './schema.js';
import { compileOnce } from './compiled-query.js';
import { nowIso } from './sql-errors.js';

export interface App {
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** One release of an app on one target (`releases/<releaseId>/` there). */
export interface Release {
  app: string;
  target: string;
  releaseId: string;
  workflowId: string | null;
  commitSha: string | null;
  status: ReleaseStatus;
  createdAt: string;
  activatedAt: string | null;
  /** Set while the release is stopped on purpose (`apps stop`): monitoring leaves it alone. */
  stoppedAt: string | null;
}

/** Identifies the release and sets `status`; other fields are written when given. */
export type ReleaseUpsert = Pick<Release, 'app' | 'target' | 'releaseId' | 'status'> &
  Partial<Pick<Release, 'workflowId' | 'commitSha' | 'createdAt' | 'activatedAt'>>;

const toApp = (row: Selectable<AppsTable>): App => ({
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRelease = (row: Selectable<ReleasesTable>): Release => ({
  app: row.app,
  target: row.target,
  releaseId: row.release_id,
  workflowId: row.workflow_id,
  commitSha: row.commit_sha,
  status: row.status,
  createdAt: row.created_at,
  activatedAt: row.activated_at,
  stoppedAt: row.stopped_at,
});

const appNotFound = (name: string): AutomatosError =>
  new AutomatosError('AUT_NOT_FOUND', `No app named "${name}". List them with \`automatos apps ls\`.`, {
    details: { app: name },
  });

const releaseNotFound = (app: string, target: string, releaseId: string): AutomatosError =>
  new AutomatosError('AUT_NOT_FOUND', `No release "${releaseId}" of app "${app}" on target "${target}".`, {
    details: { app, target, releaseId },
  });

async function ensureApp(db: Kysely<Database>, name: string, now: string): Promise<void> {
  await db
    .insertInto('apps')
    .values({ name, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export class ReleasesRepo {
  /** Listings read on every request for a workflow or an app: compiled once. */
  private readonly ofApp;
  private readonly ofAppOnTarget;

  constructor(private readonly db: Kysely<Database>) {
    const ofApp = (app: string) =>
      db
        .selectFrom('releases')
        .selectAll()
        .where('app', '=', app)
        .orderBy('created_at', 'desc')
        .orderBy('release_id', 'desc')
        .orderBy('target');
    this.ofApp = compileOnce(db, ofApp);
    this.ofAppOnTarget = compileOnce(db, (app: string, target: string) =>
      ofApp(app).where('target', '=', target),
    );
  }

  /** Creates the app row if needed, then inserts or updates the release. */
  async upsert(release: ReleaseUpsert): Promise<Release> {
    const now = nowIso();
    const changes: Updateable<ReleasesTable> = { status: release.status };
    if (release.workflowId !== undefined) changes.workflow_id = release.workflowId;
    if (release.commitSha !== undefined) changes.commit_sha = release.commitSha;
    if (release.activatedAt !== undefined) changes.activated_at = release.activatedAt;
    return this.db.transaction().execute(async (trx) => {
      await ensureApp(trx, release.app, now);
      const row = await trx
        .insertInto('releases')
        .values({
          app: release.app,
          target: release.target,
          release_id: release.releaseId,
          workflow_id: release.workflowId ?? null,
          commit_sha: release.commitSha ?? null,
          status: release.status,
          created_at: release.createdAt ?? now,
          activated_at: release.activatedAt ?? null,
          stopped_at: null,
        })
        .onConflict((oc) => oc.columns(['app', 'target', 'release_id']).doUpdateSet(changes))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRelease(row);
    });
  }

  async find(app: string, target: string, releaseId: string): Promise<Release | undefined> {
    const row = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('app', '=', app)
      .where('target', '=', target)
      .where('release_id', '=', releaseId)
      .executeTakeFirst();
    return row === undefined ? undefined : toRelease(row);
  }

  async get(app: string, target: string, releaseId: string): Promise<Release> {
    const release = await this.find(app, target, releaseId);
    if (release === undefined) throw releaseNotFound(app, target, releaseId);
    return release;
  }

  /** Newest first (by creation time, then release id), optionally of one target. */
  async list(app: string, target?: string): Promise<Release[]> {
    const rows = target === undefined ? await this.ofApp(app) : await this.ofAppOnTarget(app, target);
    return rows.map(toRelease);
  }

  async setStatus(
    app: string,
    target: string,
    releaseId: string,
    status: ReleaseStatus,
    options: { activatedAt?: string } = {},
  ): Promise<Release> {
    const changes: Updateable<ReleasesTable> = { status };
    if (options.activatedAt !== undefined) changes.activated_at = options.activatedAt;
    const row = await this.db
      .updateTable('releases')
      .set(changes)
      .where('app', '=', app)
      .where('target', '=', target)
      .where('release_id', '=', releaseId)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw releaseNotFound(app, target, releaseId);
    return toRelease(row);
  }

  /**
   * Makes `releaseId` the one active release of (app, target) in one transaction: the release
   * active before becomes `previous`.
   */
  async activate(app: string, target: string, releaseId: string, now: string = nowIso()): Promise<Release> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('releases')
        .set({ status: 'active', activated_at: now, stopped_at: null })
        .where('app', '=', app)
        .where('target', '=', target)
        .where('release_id', '=', releaseId)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw releaseNotFound(app, target, releaseId);
      await trx
        .updateTable('releases')
        .set({ status: 'previous' })
        .where('app', '=', app)
        .where('target', '=', target)
        .where('status', '=', 'active')
        .where('release_id', '!=', releaseId)
        .execute();
      return toRelease(row);
    });
  }

  /** Records that the release was stopped on purpose (`at`) or started again (null). */
  async markStopped(app: string, target: string, releaseId: string, at: string | null): Promise<void> {
    const result = await this.db
      .updateTable('releases')
      .set({ stopped_at: at })
      .where('app', '=', app)
      .where('target', '=', target)
      .where('release_id', '=', releaseId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw releaseNotFound(app, target, releaseId);
  }

  /** The active release of (app, target), if any (the most recently activated one). */
  async current(app: string, target: string): Promise<Release | undefined> {
    const row = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('app', '=', app)
      .where('target', '=', target)
      .where('status', '=', 'active')
      .orderBy('activated_at', 'desc')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toRelease(row);
  }
}

export class AppsRepo {
  readonly releases: ReleasesRepo;

  constructor(private readonly db: Kysely<Database>) {
    this.releases = new ReleasesRepo(db);
  }

  /** Creates the app if it does not exist; returns it either way. */
  async ensure(name: string): Promise<App> {
    await ensureApp(this.db, name, nowIso());
    return this.get(name);
  }

  async find(name: string): Promise<App | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : toApp(row);
  }

  async get(name: string): Promise<App> {
    const app = await this.find(name);
    if (app === undefined) throw appNotFound(name);
    return app;
  }

  async list(): Promise<App[]> {
    return (await this.db.selectFrom('apps').selectAll().orderBy('name').execute()).map(toApp);
  }

  /** Bumps `updated_at` (a deploy touched the app). */
  async touch(name: string, now: string = nowIso()): Promise<void> {
    const result = await this.db
      .updateTable('apps')
      .set({ updated_at: now })
      .where('name', '=', name)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw appNotFound(name);
  }
}
