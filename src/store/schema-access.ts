/**
 * Row types of the tables that record and gate access: the audit chain and its head, API keys,
 * GitOps repositories and their webhook deliveries. Same column conventions as schema.ts.
 */
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
  /** `sha256` (legacy, unkeyed) or `hmac-sha256` (keyed chain, 0007). */
  alg: string;
  hash: string;
}

/** One row (id = 1): the last appended seq and hash, updated in the same transaction as the append. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  updated_at: string;
  /** Seq of the first keyed record; null while the chain is all legacy (0007). */
  keyed_from: number | null;
  /** HMAC over (seq, hash, keyed_from) under the audit chain key; null for a legacy head (0007). */
  mac: string | null;
}

export interface ApiKeysTable {
  /** The public part of the key (`atm_<id>_…`); safe to show and log. */
  id: string;
  name: string;
  role: 'admin' | 'operator' | 'viewer' | 'agent';
  /** JSON array of target names, or null for every target. */
  targets: string | null;
  /** JSON array of extra actions beyond the role. */
  grants: string;
  /** Hex HMAC-SHA256 of the whole key; the key itself is never stored. */
  digest: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface RepositoriesTable {
  name: string;
  url: string;
  url_key: string;
  provider: 'github' | 'gitlab';
  branch: string;
  /** JSON array of target names. */
  targets: string;
  secret_key_id: string;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  /** `<provider>:<delivery id>`. */
  id: string;
  repository: string | null;
  received_at: string;
  outcome: string;
  workflow_id: string | null;
}
