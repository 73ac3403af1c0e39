/** Which part of `audit verify` found a problem. */
export const AUDIT_CHECKS = ['chain', 'head', 'checkpoint'] as const;
export type AuditCheck = (typeof AUDIT_CHECKS)[number];

export const AUDIT_BREAK_REASONS = [
  /** chain: a seq is missing (a record was deleted in the middle). */
  'sequence_gap',
  /** chain: a row cannot be read (bad JSON column, unknown alg). */
  'invalid_record',
  /** chain: a record does not link to the one before it (replaced, reordered, inserted). */
  'prev_hash_mismatch',
  /** chain: a record's content does not match its hash / HMAC. */
  'hash_mismatch',
  /** chain or checkpoint: a record of the keyed chain is stored as an unkeyed (legacy) one. */
  'downgrade',
  /** chain: keyed records, but this process has no audit key to check them. */
  'key_unavailable',
  /** head or checkpoint: records were deleted from the end. */
  'truncated',
  /** head: the head row is missing, rewound, unsealed or does not match the chain. */
  'head_mismatch',
  /** checkpoint: a line of the checkpoint file is not a checkpoint. */
  'checkpoint_invalid',
  /** checkpoint: a checkpoint's Ed25519 signature does not verify. */
  'checkpoint_signature',
  /** checkpoint: the record a checkpoint signed has changed since. */
  'checkpoint_mismatch',
] as const;
export type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

export interface AuditProblem {
  check: AuditCheck;
  reason: AuditBreakReason;
  /** The record concerned (for the chain: the first broken one), or null. */
  seq: number | null;
  id: string | null;
  /** The line of the checkpoint file (1-based), for checkpoint problems. */
  line: number | null;
  message: string;
}

export interface CheckpointSummary {
  /** The checkpoint file, or null when this log keeps none. */
  file: string | null;
  /** Lines in the file. */
  total: number;
  /** Checkpoints whose signature verified and whose record still matches. */
  verified: number;
  /** The newest record a valid checkpoint signed, and when. */
  last: { seq: number; at: string } | null;
  /** The Ed25519 public key that verifies them (base64 of 32 bytes), or null without a key. */
  publicKey: string | null;
  /** The checkpoint this verify appended (only when the log was intact and had grown). */
  written: { seq: number; at: string } | null;
}

export interface VerifyResult {
  ok: boolean;
  /** Records that verified (all of them when ok; those before the first broken one otherwise). */
  count: number;
  /** The head row (last seq and hash), or null when it is missing. */
  head: { seq: number; hash: string } | null;
  /** Seq of the first keyed record, or null while every record is legacy. */
  keyedFrom: number | null;
  /** Records before the keyed chain began (plain SHA-256). */
  legacy: number;
  /** The first problem (the chain's, when it has one), or null. */
  firstBroken: AuditProblem | null;
  problems: AuditProblem[];
  checkpoints: CheckpointSummary;
  /** Facts an operator should know that are not problems (unkeyed legacy records, no checkpoints yet). */
  notes: string[];
}
