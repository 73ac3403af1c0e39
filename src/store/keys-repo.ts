import type { Kysely, Selectable } from 'kysely';
import { AutomatosError } from '../core/index.js';
import type { Database, KeyKind, KeysTable } from './schema.js';
import { isForeignKeyViolation, isUniqueViolation, nowIso } from './sql-errors.js';

/** An encrypted record. Only ciphertext ever reaches this table: sealing happens in src/security. */
export interface SealedRecord {
  id: string;
  kind: KeyKind;
  name: string;
  /** base64 */
  ciphertext: string;
  /** base64, 12 bytes */
  iv: string;
  /** base64, 16 bytes */
  tag: string;
  createdAt: string;
}

export type KeyInfo = Pick<SealedRecord, 'id' | 'kind' | 'name' | 'createdAt'>;

const toRecord = (row: Selectable<KeysTable>): SealedRecord => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  ciphertext: row.ciphertext,
  iv: row.iv,
  tag: row.tag,
  createdAt: row.created_at,
});

const notFound = (id: string): AutomatosError =>
  new AutomatosError('AUT_NOT_FOUND', `No stored key or secret with id "${id}".`, { details: { id } });

export class KeysRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(record: Omit<SealedRecord, 'createdAt'>): Promise<SealedRecord> {
    // Columns picked one by one: a caller's extra property (e.g. a whole SealedRecord) is no column.
    const { id, kind, name, ciphertext, iv, tag } = record;
    const row = { id, kind, name, ciphertext, iv, tag, created_at: nowIso() };
    try {
      await this.db.insertInto('keys').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AutomatosError('AUT_CONFLICT', `A key with id "${record.id}" already exists.`, {
          details: { id: record.id },
          cause: error,
        });
      }
      throw error;
    }
    return toRecord(row);
  }

  async get(id: string): Promise<SealedRecord> {
    const row = await this.db.selectFrom('keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound(id);
    return toRecord(row);
  }

  /** Metadata only: listing never reads ciphertext. */
  async list(kind?: KeyKind): Promise<KeyInfo[]> {
    let query = this.db.selectFrom('keys').select(['id', 'kind', 'name', 'created_at']);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, kind: row.kind, name: row.name, createdAt: row.created_at }));
  }

  async remove(id: string): Promise<void> {
    let deleted: bigint;
    try {
      deleted = (await this.db.deleteFrom('keys').where('id', '=', id).executeTakeFirst()).numDeletedRows;
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new AutomatosError(
          'AUT_CONFLICT',
          `Key "${id}" is still used by a target or an app secret; remove or update that first.`,
          {
            details: { id },
            cause: error,
          },
        );
      }
      throw error;
    }
    if (deleted === 0n) throw notFound(id);
  }
}
