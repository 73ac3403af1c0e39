import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { AutomatosError } from '../core/index.js';
import { AuditRepo } from './audit-repo.js';
import { KeysRepo } from './keys-repo.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { TargetsRepo } from './targets-repo.js';

export const DATABASE_FILE = 'automatos.db';

export type OpenStoreOptions = ({ dataDir: string } | { file: string }) & {
  /** How long a writer waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
};

export interface Store {
  /** For repositories in src/store only: no other module writes SQL. */
  readonly db: Kysely<Database>;
  readonly file: string;
  readonly targets: TargetsRepo;
  readonly keys: KeysRepo;
  readonly audit: AuditRepo;
  close(): Promise<void>;
}

/** Creates the file 0600 before SQLite does, so the database (and its -wal/-shm) is private. */
function prepareFile(options: OpenStoreOptions): string {
  if ('dataDir' in options) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = 'dataDir' in options ? join(options.dataDir, DATABASE_FILE) : options.file;
  if (file === ':memory:') return file;
  if (!('dataDir' in options)) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  return file;
}

function openSqlite(file: string, busyTimeoutMs: number): SQLite.Database {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    sqlite.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a killed process; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** Opens (creating if needed) the SQLite store and brings its schema to the latest migration. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  let file = '';
  let sqlite: SQLite.Database;
  try {
    file = prepareFile(options);
    sqlite = openSqlite(file, options.busyTimeoutMs ?? 5000);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AutomatosError(
      'AUT_STORE',
      `Cannot open the database ${file || 'in the data dir'}: ${reason}`,
      {
        details: { file },
        cause: error,
      },
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db, file);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    file,
    targets: new TargetsRepo(db),
    keys: new KeysRepo(db),
    audit: new AuditRepo(db, sqlite),
    close: () => db.destroy(),
  };
}
