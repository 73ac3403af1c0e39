import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { cachingDatabase } from './statement-cache.js';
import { AutomatosError } from '../core/index.js';
import { AgentExchangesRepo } from './agent-exchanges-repo.js';
import { AlertsRepo } from './alerts-repo.js';
import { ApiKeysRepo } from './api-keys-repo.js';
import { RepositoriesRepo } from './repositories-repo.js';
import { AppSecretsRepo } from './app-secrets-repo.js';
import { AppsRepo } from './apps-repo.js';
import { AuditRepo } from './audit-repo.js';
import { HealthRepo } from './health-repo.js';
import { KeysRepo } from './keys-repo.js';
import { LocksRepo } from './locks-repo.js';
import { LogsRepo } from './logs-repo.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';
import { StepsRepo } from './steps-repo.js';
import { TargetsRepo } from './targets-repo.js';
import { WorkflowFixesRepo } from './workflow-fixes-repo.js';
import { WorkflowsRepo } from './workflows-repo.js';

export const DATABASE_FILE = 'automatos.db';

export type OpenStoreOptions = (
  | { dataDir: string }
  | { file: string }
  | {
      /** `postgres://user:password@host:port/db` (callers read AUTOMATOS_DATABASE_URL, not the store). */
      databaseUrl: string;
      /** Connections in the pool (default 10). */
      poolSize?: number;
    }
) & {
  /** SQLite: how long a writer waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
};

export type StoreDialect = 'sqlite' | 'postgres';

export interface Store {
  /** For repositories in src/store only: no other module writes SQL. */
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** SQLite: the database file. PostgreSQL: the URL with its password masked (safe to print). */
  readonly file: string;
  readonly targets: TargetsRepo;
  readonly keys: KeysRepo;
  readonly audit: AuditRepo;
  readonly workflows: WorkflowsRepo;
  readonly steps: StepsRepo;
  readonly logs: LogsRepo;
  /** Apps, and their releases as `apps.releases`. */
  readonly apps: AppsRepo;
  readonly appSecrets: AppSecretsRepo;
  readonly health: HealthRepo;
  readonly alerts: AlertsRepo;
  readonly locks: LocksRepo;
  readonly apiKeys: ApiKeysRepo;
  readonly repositories: RepositoriesRepo;
  /** Tier 2: what each workflow asked its planner and diagnoser, redacted. */
  readonly agentExchanges: AgentExchangesRepo;
  /** Tier 2: fixes a diagnoser proposed for a workflow's failed steps. */
  readonly fixes: WorkflowFixesRepo;
  close(): Promise<void>;
}

/** Creates the file 0600 before SQLite does, so the database (and its -wal/-shm) is private. */
function prepareFile(options: { dataDir: string } | { file: string }): string {
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

/** The URL without its password, for messages and `Store.file`. */
export function maskDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Kysely<Database>> {
  let protocol = '';
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      `The database URL must look like postgres://user:password@host:5432/database (got ${maskDatabaseUrl(databaseUrl)}).`,
      { details: { databaseUrl: maskDatabaseUrl(databaseUrl) } },
    );
  }
  // Loaded on demand: the embedded SQLite default never pays for the pg driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Kysely takes no migration lock on SQLite (it assumes one connection) and runs its DDL outside a
 * transaction, so two processes opening a new data dir at once would both migrate and one would
 * fail half-way. Here the whole migration runs inside one BEGIN IMMEDIATE transaction on the same
 * connection: other processes wait for the write lock (busy_timeout) and then find the schema
 * current, and a failing migration leaves nothing behind.
 */
async function migrateSqlite(db: Kysely<Database>, sqlite: SQLite.Database, file: string): Promise<void> {
  try {
    sqlite.exec('BEGIN IMMEDIATE');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AutomatosError('AUT_STORE', `Cannot migrate the database ${file}: ${reason}`, {
      details: { file },
      transient: true,
      cause: error,
    });
  }
  try {
    await migrateToLatest(db, file);
    sqlite.exec('COMMIT');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

function repositories(db: Kysely<Database>, sqlite: SQLite.Database | undefined) {
  return {
    targets: new TargetsRepo(db),
    keys: new KeysRepo(db),
    audit: new AuditRepo(db, sqlite),
    workflows: new WorkflowsRepo(db),
    steps: new StepsRepo(db),
    logs: new LogsRepo(db),
    apps: new AppsRepo(db),
    appSecrets: new AppSecretsRepo(db),
    health: new HealthRepo(db),
    alerts: new AlertsRepo(db),
    locks: new LocksRepo(db),
    apiKeys: new ApiKeysRepo(db),
    repositories: new RepositoriesRepo(db),
    agentExchanges: new AgentExchangesRepo(db),
    fixes: new WorkflowFixesRepo(db),
  };
}

/**
 * Opens the store and brings its schema to the latest migration: the embedded SQLite file (created
 * if needed, `{ dataDir }` or `{ file }`) or a PostgreSQL database (`{ databaseUrl }`).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if ('databaseUrl' in options) {
    const where = maskDatabaseUrl(options.databaseUrl);
    const db = await openPostgres(options.databaseUrl, options.poolSize ?? 10);
    try {
      await migrateToLatest(db, where);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return {
      db,
      dialect: 'postgres',
      file: where,
      ...repositories(db, undefined),
      close: () => db.destroy(),
    };
  }
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  try {
    await migrateSqlite(db, sqlite, file);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect: 'sqlite', file, ...repositories(db, sqlite), close: () => db.destroy() };
}
