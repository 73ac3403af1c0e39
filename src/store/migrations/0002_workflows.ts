import { sql, type Kysely, type Migration } from 'kysely';

/** Quoted list for a CHECK constraint: the values are constants of this file, never input. The
 * lists are repeated here on purpose (not imported from schema.ts): a released migration is frozen. */
const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

const WORKFLOW_STATUSES = [
  'queued',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'cancelled',
  'rolled_back',
] as const;
const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
const LOG_STREAMS = ['stdout', 'stderr', 'system'] as const;
const RELEASE_STATUSES = ['building', 'active', 'previous', 'failed', 'rolled_back', 'pruned'] as const;

/**
 * Workflows, their steps and logs, apps and releases, app secrets, health results and leases.
 * Same rules as 0001: schema builder and standard SQL only, so it runs on SQLite and PostgreSQL.
 * Never edit it once released: add 0003.
 */
export const workflows: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('workflows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tier', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('ref', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('app', 'text', (c) => c.notNull())
      .addColumn('targets', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', WORKFLOW_STATUSES)))
      .addColumn('current_step', 'text')
      .addColumn('release_id', 'text')
      .addColumn('error', 'text')
      .addColumn('plan', 'text')
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('workflows_status').on('workflows').column('status').execute();
    await db.schema
      .createIndex('workflows_app_created')
      .on('workflows')
      .columns(['app', 'created_at'])
      .execute();

    await db.schema
      .createTable('workflow_steps')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      // The step's index in the plan, so a listing comes back in plan order.
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', STEP_STATUSES)))
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('exit_code', 'integer')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('workflow_steps_pk', ['workflow_id', 'target', 'step'])
      .addForeignKeyConstraint('workflow_steps_workflow_fk', ['workflow_id'], 'workflows', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    // The primary key (workflow_id, seq) is the index logs are read by: no second index needed.
    await db.schema
      .createTable('log_chunks')
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('step', 'text')
      .addColumn('stream', 'text', (c) => c.notNull().check(oneOf('stream', LOG_STREAMS)))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('log_chunks_pk', ['workflow_id', 'seq'])
      .addForeignKeyConstraint('log_chunks_workflow_fk', ['workflow_id'], 'workflows', ['id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('apps')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('releases')
      .addColumn('app', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', RELEASE_STATUSES)))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('activated_at', 'text')
      .addPrimaryKeyConstraint('releases_pk', ['app', 'target', 'release_id'])
      .addForeignKeyConstraint('releases_app_fk', ['app'], 'apps', ['name'], (fk) => fk.onDelete('cascade'))
      .execute();

    await db.schema
      .createTable('app_secrets')
      .addColumn('app', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id').onDelete('restrict'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('app_secrets_pk', ['app', 'name'])
      .execute();

    await db.schema
      .createTable('health_results')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('healthy', 'integer', (c) => c.notNull().check(sql`healthy in (0, 1)`))
      .addColumn('status_code', 'integer')
      .addColumn('latency_ms', 'integer')
      .addColumn('detail', 'text')
      .execute();
    await db.schema
      .createIndex('health_results_app_target_at')
      .on('health_results')
      .columns(['app', 'target', 'at'])
      .execute();

    await db.schema
      .createTable('locks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('acquired_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'locks',
      'health_results',
      'app_secrets',
      'releases',
      'apps',
      'log_chunks',
      'workflow_steps',
      'workflows',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
