/**
 * Row types of every table, as Kysely sees them. Column conventions (kept portable to PostgreSQL):
 * - timestamps are ISO-8601 UTC text with milliseconds (`2025-01-31T12:00:00.000Z`, always from
 *   `Date#toISOString`), so they sort and compare lexicographically in both SQLite and PostgreSQL;
 * - JSON is stored as text and parsed by the repository that owns the table;
 * - binary values (ciphertext, IV, tag) are base64 text, avoiding blob/bytea differences.
 */
export interface TargetsTable {
  name: string;
  host: string;
  port: number;
  /** `user` is a reserved word in PostgreSQL (`select user` is `current_user`), hence `username`. */
  username: string;
  auth_kind: 'key' | 'agent';
  key_id: string | null;
  host_key_fingerprint: string | null;
  policy_profile: string;
  /** null: the runtime default (`/opt/automatos/apps` for root, `~/.automatos/apps` otherwise). */
  root: string | null;
  /** JSON object of string labels. */
  labels: string;
  created_at: string;
  updated_at: string;
}

export type KeyKind = 'ssh_private_key' | 'secret';

export interface KeysTable {
  id: string;
  kind: KeyKind;
  name: string;
  ciphertext: string;
  iv: string;
  tag: string;
  created_at: string;
}

export interface AuditEventsTable {
  /** Assigned by the appender under the head lock: 1, 2, 3 … without gaps. */
  seq: number;
  id: string;
  at: string;
  principal: string;
  source: string;
  action: string;
  target: string | null;
  command: string | null;
  decision: string | null;
  rule: string | null;
  risk: number | null;
  /** JSON text or null. */
  result: string | null;
  workflow_id: string | null;
  /** JSON text. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1): the last appended seq and hash, updated in the same transaction as the append. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  updated_at: string;
}

export interface Database {
  targets: TargetsTable;
  keys: KeysTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
}
