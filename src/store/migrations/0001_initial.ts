import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Written with the schema builder and standard SQL only (text, integer, bigint, check, references)
 * so the same migration runs on SQLite and PostgreSQL. Identifiers are quoted by Kysely.
 */
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ssh_private_key', 'secret')`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('iv', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('targets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('port', 'integer', (c) => c.notNull().check(sql`port between 1 and 65535`))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('auth_kind', 'text', (c) => c.notNull().check(sql`auth_kind in ('key', 'agent')`))
      .addColumn('key_id', 'text', (c) => c.references('keys.id').onDelete('restrict'))
      .addColumn('host_key_fingerprint', 'text')
      .addColumn('policy_profile', 'text', (c) => c.notNull().defaultTo('standard'))
      .addColumn('root', 'text')
      .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint(
        'targets_auth_key_check',
        sql`(auth_kind = 'key' and key_id is not null) or (auth_kind = 'agent' and key_id is null)`,
      )
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('principal', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('command', 'text')
      .addColumn('decision', 'text')
      .addColumn('rule', 'text')
      .addColumn('risk', 'integer')
      .addColumn('result', 'text')
      .addColumn('workflow_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_events_target_seq')
      .on('audit_events')
      .columns(['target', 'seq'])
      .execute();
    await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
    await db.schema.createIndex('audit_events_workflow').on('audit_events').column('workflow_id').execute();

    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_head (id, seq, hash, updated_at) values (1, 0, ${'0'.repeat(64)}, ${new Date().toISOString()})`.execute(
      db,
    );
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['audit_head', 'audit_events', 'targets', 'keys']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
