import type { AuditRow } from '../store/index.js';
import { eventFromRow, hashEvent, isAuditAlg, keyedText } from './event.js';
import type { AuditKeys } from './keys.js';
import { KEYED_ALG, ZERO_HASH } from './types.js';
import type { AuditProblem } from './verify-result.js';

type Break = Pick<AuditProblem, 'reason' | 'message'>;

/**
 * Walks the rows in seq order and stops trusting them at the first break. Legacy records may only
 * come before the keyed chain: once a keyed record was seen, or from the seq the sealed head says
 * the keyed chain began, an unkeyed record is a downgrade (a keyed record rewritten without the key).
 */
export class ChainWalker {
  count = 0;
  legacy = 0;
  /** Seq of the first keyed record seen. */
  keyedFrom: number | null = null;
  lastHash = ZERO_HASH;
  lastSeq = 0;
  broken: AuditProblem | undefined;

  constructor(
    private readonly keys: AuditKeys | undefined,
    /** Where the head row says the keyed chain began (checked against its MAC later). */
    private readonly headKeyedFrom: number | null,
  ) {}

  step(row: AuditRow): void {
    this.lastSeq = row.seq;
    if (this.broken !== undefined) return;
    const broken = this.check(row);
    if (broken !== undefined) {
      this.broken = { check: 'chain', seq: row.seq, id: row.id, line: null, ...broken };
      return;
    }
    this.count += 1;
    this.lastHash = row.hash;
    if (row.alg === KEYED_ALG) this.keyedFrom ??= row.seq;
    else this.legacy += 1;
  }

  private check(row: AuditRow): Break | undefined {
    const expected = this.count + 1;
    if (row.seq !== expected) {
      const missing = row.seq - 1 === expected ? `${expected}` : `${expected}..${row.seq - 1}`;
      return { reason: 'sequence_gap', message: `Record ${missing} is missing before record ${row.seq}.` };
    }
    if (!isAuditAlg(row.alg)) {
      return { reason: 'invalid_record', message: `Record ${row.seq} has an unknown alg "${row.alg}".` };
    }
    let event;
    try {
      event = eventFromRow(row);
    } catch (error) {
      return {
        reason: 'invalid_record',
        message: `Record ${row.seq} cannot be read: ${(error as Error).message}`,
      };
    }
    if (row.prevHash !== this.lastHash) {
      return {
        reason: 'prev_hash_mismatch',
        message: `Record ${row.seq} does not link to record ${row.seq - 1}: a record was replaced, reordered or inserted.`,
      };
    }
    if (row.alg !== KEYED_ALG) {
      const keyedSince = this.keyedFrom ?? this.headKeyedFrom;
      if (keyedSince !== null && row.seq >= keyedSince) {
        return {
          reason: 'downgrade',
          message:
            `Record ${row.seq} is stored as an unkeyed (legacy SHA-256) record, but the keyed chain ` +
            `began at record ${keyedSince}: a keyed record was rewritten without the key.`,
        };
      }
      if (hashEvent(event) !== row.hash) {
        return {
          reason: 'hash_mismatch',
          message: `Record ${row.seq} was modified: its content does not match its SHA-256 hash.`,
        };
      }
      return undefined;
    }
    if (this.keys === undefined) {
      return {
        reason: 'key_unavailable',
        message: `Record ${row.seq} is keyed (HMAC-SHA256) and this process has no audit key to check it.`,
      };
    }
    if (!this.keys.macMatches(keyedText(event), row.hash)) {
      return {
        reason: 'hash_mismatch',
        message:
          `Record ${row.seq} was modified: its content does not match its HMAC` +
          (this.keyedFrom === null
            ? ' (if no record of the keyed chain verifies, the master key is not the one the log was written with).'
            : '.'),
      };
    }
    return undefined;
  }
}
