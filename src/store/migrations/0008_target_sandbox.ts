import { sql, type Kysely, type Migration } from 'kysely';

/**
 * How a target confines the commands Automatos did not build: `bwrap` (every existing target, the
 * default) or `off`, the operator's explicit escape hatch that plans, `targets show`, `doctor` and
 * every audit record of such a command then show. Never edit it once released: add the next number.
 */
export const targetSandbox: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('targets')
      .addColumn('sandbox', 'text', (c) =>
        c
          .notNull()
          .defaultTo('bwrap')
          .check(sql`sandbox in ('bwrap', 'off')`),
      )
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('targets').dropColumn('sandbox').execute();
  },
};
