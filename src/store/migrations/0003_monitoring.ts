import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Monitoring: alerts (a live release changed health state, healthy <-> unhealthy), and when a
 * serving release was stopped on purpose (`apps stop`), so monitoring does not alert on it. Same
 * rules as 0001 and 0002: schema builder and standard SQL only. Never edit it once released: add 0004.
 */
export const monitoring: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('healthy', 'unhealthy')`))
      // Null for the first result ever seen of (app, target): an alert that says "unhealthy from the start".
      .addColumn('previous_state', 'text', (c) =>
        c.check(sql`previous_state is null or previous_state in ('healthy', 'unhealthy')`),
      )
      .addColumn('message', 'text', (c) => c.notNull())
      .execute();
    // Listing is newest first, over everything or one app (and target).
    await db.schema.createIndex('alerts_at').on('alerts').column('at').execute();
    await db.schema
      .createIndex('alerts_app_target_at')
      .on('alerts')
      .columns(['app', 'target', 'at'])
      .execute();
    await db.schema.alterTable('releases').addColumn('stopped_at', 'text').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('releases').dropColumn('stopped_at').execute();
    await db.schema.dropTable('alerts').execute();
  },
};
