import type { Kysely, Migration } from 'kysely';

/**
 * The keyed audit chain. Every row gets `alg`: rows written before this migration keep the plain
 * SHA-256 chain and read as `sha256` (legacy); new rows are `hmac-sha256`, sealed with a key derived
 * from the master key that is never stored here. The head row gets `keyed_from` (the seq of the
 * first keyed row, null until one is written) and `mac`, an HMAC over (seq, hash, keyed_from):
 * without the key, a writer of this database can neither rewind the head nor move where the keyed
 * chain begins. Same rules as 0001–0006: schema builder and standard SQL only. Never edit it once
 * released: add 0008.
 */
export const auditKeyed: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('audit_events')
      .addColumn('alg', 'text', (c) => c.notNull().defaultTo('sha256'))
      .execute();
    await db.schema.alterTable('audit_head').addColumn('keyed_from', 'bigint').execute();
    await db.schema.alterTable('audit_head').addColumn('mac', 'text').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('audit_head').dropColumn('mac').execute();
    await db.schema.alterTable('audit_head').dropColumn('keyed_from').execute();
    await db.schema.alterTable('audit_events').dropColumn('alg').execute();
  },
};
