import { Migrator, type Kysely } from 'kysely';
import { AutomatosError } from '../core/index.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** Applies every pending migration; a no-op when the database is current. */
export async function migrateToLatest(db: Kysely<Database>, where: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    const newer = /corrupted migrations/i.test(message)
      ? ' The database has migrations this version does not know: it was probably created by a newer Automatos.'
      : '';
    throw new AutomatosError(
      'AUT_STORE',
      `Cannot migrate the database ${where}${failed === undefined ? '' : ` (migration ${failed})`}: ${message}.${newer}`,
      { details: { where, migration: failed ?? null }, cause: error },
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
