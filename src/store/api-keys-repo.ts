import type { Kysely, Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import { compileOnce } from './compiled-query.js';
import type { ApiKeysTable, Database } from './schema.js';
import { isUniqueViolation, nowIso } from './sql-errors.js';

export type ApiKeyRole = ApiKeysTable['role'];

/** An API key as stored: its digest, never the key. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** null: every target. */
  targets: string[] | null;
  grants: string[];
  digest: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export type NewApiKey = Pick<ApiKeyRecord, 'id' | 'name' | 'role' | 'targets' | 'grants' | 'digest'> & {
  expiresAt?: string | null;
  /** ISO-8601; default now. */
  createdAt?: string;
};

const toRecord = (row: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  targets: row.targets === null ? null : (JSON.parse(row.targets) as string[]),
  grants: JSON.parse(row.grants) as string[],
  digest: row.digest,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

const notFound = (id: string): AutomatosError =>
  new AutomatosError('AUT_NOT_FOUND', `No API key with id "${id}". List them with \`automatos keys ls\`.`, {
    details: { id },
  });

/**
 * How long a key's row, once read, answers `find` without a query: every authenticated request
 * looks its key up. Only the row is reused: the digest, revocation and expiry are checked on every
 * request. `revoke` and `touch` here drop it at once; a revocation by another process (the CLI,
 * another API process on PostgreSQL) takes effect within this time.
 */
export const API_KEY_ROW_TTL_MS = 1000;

export class ApiKeysRepo {
  private readonly byId;
  /** Rows of existing keys by id (unknown ids are not kept), with the time they stop being used. */
  private readonly recent = new Map<string, { row: Selectable<ApiKeysTable>; until: number }>();
  /** Bumped after every change made here: a row read before a change finished is not kept. */
  private changes = 0;

  constructor(private readonly db: Kysely<Database>) {
    this.byId = compileOnce(db, (id: string) => db.selectFrom('api_keys').selectAll().where('id', '=', id));
  }

  async create(key: NewApiKey): Promise<ApiKeyRecord> {
    const row: Selectable<ApiKeysTable> = {
      id: key.id,
      name: key.name,
      role: key.role,
      targets: key.targets === null ? null : JSON.stringify(key.targets),
      grants: JSON.stringify(key.grants),
      digest: key.digest,
      created_at: key.createdAt ?? nowIso(),
      expires_at: key.expiresAt ?? null,
      revoked_at: null,
      last_used_at: null,
    };
    try {
      await this.db.insertInto('api_keys').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AutomatosError('AUT_CONFLICT', `An API key with id "${key.id}" already exists.`, {
          details: { id: key.id },
          cause: error,
        });
      }
      throw error;
    }
    return toRecord(row);
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const kept = this.recent.get(id);
    if (kept !== undefined && kept.until > now) return toRecord(kept.row);
    this.recent.delete(id);
    const changes = this.changes;
    const [row] = await this.byId(id);
    if (row === undefined) return undefined;
    if (changes === this.changes) this.recent.set(id, { row, until: now + API_KEY_ROW_TTL_MS });
    return toRecord(row);
  }

  async get(id: string): Promise<ApiKeyRecord> {
    const key = await this.find(id);
    if (key === undefined) throw notFound(id);
    return key;
  }

  /** Oldest first, revoked and expired ones included (callers show their state). */
  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** Keys of a role that are neither revoked nor expired at `now` (ISO-8601). */
  async countUsable(role: ApiKeyRole, now: string = nowIso()): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks the key revoked (idempotent: the first revocation time is kept). */
  async revoke(id: string, at: string = nowIso()): Promise<ApiKeyRecord> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    this.forget(id);
    return this.get(id);
  }

  /** Records a successful authentication. */
  async touch(id: string, at: string = nowIso()): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    this.forget(id);
  }

  /** After a change: the next `find` reads the row, and no read begun before the change is kept. */
  private forget(id: string): void {
    this.changes += 1;
    this.recent.delete(id);
  }
}
