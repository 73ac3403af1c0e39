import { sql, type Kysely, type Migration } from 'kysely';

/**
 * API keys of the HTTP server. Only an HMAC-SHA256 digest of each key is stored (hex), never the
 * key. `targets` is a JSON array of target names or null (every target); `grants` a JSON array of
 * extra actions. Same rules as 0001–0003: schema builder and standard SQL only. Never edit it once
 * released: add 0005.
 */
export const apiKeys: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) =>
        c.notNull().check(sql`role in ('admin', 'operator', 'viewer', 'agent')`),
      )
      .addColumn('targets', 'text')
      .addColumn('grants', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('api_keys').execute();
  },
};
