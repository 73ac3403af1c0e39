import { sql, type Kysely, type Migration } from 'kysely';

/**
 * GitOps: repositories registered for webhook deploys (the webhook secret lives encrypted in the
 * `keys` table; `secret_key_id` points at it) and the deliveries already handled, so a replayed
 * delivery never deploys twice. Same rules as 0001–0004: schema builder and standard SQL only.
 * Never edit it once released: add 0006.
 */
export const repositories: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('repositories')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      // host/path, lower-cased, without .git: how a push payload's URLs are matched.
      .addColumn('url_key', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('github', 'gitlab')`))
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('targets', 'text', (c) => c.notNull())
      .addColumn('secret_key_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('repositories_url_key').on('repositories').column('url_key').execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('repository', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('repositories').execute();
  },
};
