import type { Kysely, Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { AppSecretsTable, Database } from './schema.js';
import { isForeignKeyViolation, isUniqueViolation, nowIso } from './sql-errors.js';

/**
 * Maps an app's secret names to records of the `keys` table, where the values live encrypted
 * (written and read through the Keystore of src/security). No value ever passes through here.
 */
export interface AppSecret {
  app: string;
  name: string;
  keyId: string;
  updatedAt: string;
}

const toSecret = (row: Selectable<AppSecretsTable>): AppSecret => ({
  app: row.app,
  name: row.name,
  keyId: row.key_id,
  updatedAt: row.updated_at,
});

const notFound = (app: string, name: string): AutomatosError =>
  new AutomatosError(
    'AUT_NOT_FOUND',
    `App "${app}" has no secret named "${name}". List them with \`automatos secrets ls ${app}\`.`,
    { details: { app, name } },
  );

export class AppSecretsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Points (app, name) at `keyId` and returns the key id it pointed at before (null if the secret
   * is new), so the caller can delete the old encrypted record.
   */
  async set(app: string, name: string, keyId: string): Promise<string | null> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.db
          .transaction()
          .setIsolationLevel('read committed')
          .execute(async (trx) => {
            const now = nowIso();
            // Writing first takes the lock (SQLite's write lock, PostgreSQL's row lock) so that two
            // concurrent `set`s each see the key id the other one replaced. A write that found no
            // row locked nothing: the row may be committed by another writer before the read, so
            // such a transaction only inserts, and a clash sends it round again to lock the row.
            const touched = await trx
              .updateTable('app_secrets')
              .set({ updated_at: now })
              .where('app', '=', app)
              .where('name', '=', name)
              .executeTakeFirst();
            const previous =
              Number(touched.numUpdatedRows) === 0
                ? undefined
                : await trx
                    .selectFrom('app_secrets')
                    .select('key_id')
                    .where('app', '=', app)
                    .where('name', '=', name)
                    .executeTakeFirst();
            if (previous === undefined) {
              await trx
                .insertInto('app_secrets')
                .values({ app, name, key_id: keyId, updated_at: now })
                .execute();
              return null;
            }
            await trx
              .updateTable('app_secrets')
              .set({ key_id: keyId, updated_at: now })
              .where('app', '=', app)
              .where('name', '=', name)
              .execute();
            return previous.key_id;
          });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw new AutomatosError(
            'AUT_NOT_FOUND',
            `Key "${keyId}" for secret "${name}" of app "${app}" does not exist.`,
            {
              details: { app, name, keyId },
              cause: error,
            },
          );
        }
        // Another writer inserted the same new name first: now it exists, so go again.
        if (isUniqueViolation(error) && attempt < 5) continue;
        throw error;
      }
    }
  }

  async find(app: string, name: string): Promise<AppSecret | undefined> {
    const row = await this.db
      .selectFrom('app_secrets')
      .selectAll()
      .where('app', '=', app)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toSecret(row);
  }

  async get(app: string, name: string): Promise<AppSecret> {
    const secret = await this.find(app, name);
    if (secret === undefined) throw notFound(app, name);
    return secret;
  }

  /** Names only, sorted. */
  async list(app: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('app_secrets')
      .select('name')
      .where('app', '=', app)
      .orderBy('name')
      .execute();
    return rows.map((row) => row.name);
  }

  /** Names with their key ids (what a deploy decrypts into the env file), sorted by name. */
  async entries(app: string): Promise<AppSecret[]> {
    const rows = await this.db
      .selectFrom('app_secrets')
      .selectAll()
      .where('app', '=', app)
      .orderBy('name')
      .execute();
    return rows.map(toSecret);
  }

  /** Removes the mapping and returns its key id, so the caller can delete the encrypted record. */
  async remove(app: string, name: string): Promise<string> {
    const row = await this.db
      .deleteFrom('app_secrets')
      .where('app', '=', app)
      .where('name', '=', name)
      .returning('key_id')
      .executeTakeFirst();
    if (row === undefined) throw notFound(app, name);
    return row.key_id;
  }
}
