import { createHash } from 'node:crypto';
import type { AuditHead, AuditRow } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditKeys } from './keys.js';
import { KEYED_ALG, LEGACY_ALG, type AuditAlg, type AuditEvent } from './types.js';

type Unsealed = Omit<AuditEvent, 'hash'>;

function body(event: Unsealed): Record<string, unknown> {
  const { seq, id, at, principal, source, action, target, command, decision, rule, risk } = event;
  const { result, workflowId, details, prevHash } = event;
  return {
    seq,
    id,
    at,
    principal,
    source,
    action,
    target,
    command,
    decision,
    rule,
    risk,
    result,
    workflowId,
    details,
    prevHash,
  };
}

/**
 * The legacy (pre-0007) record hash: sha256 (hex) of the canonical JSON of the event without its
 * `hash` and `alg`. Anyone can recompute it, which is why new records are keyed.
 */
export function hashEvent(event: Unsealed): string {
  return createHash('sha256')
    .update(canonicalJson(body(event)))
    .digest('hex');
}

/** What a keyed record's HMAC covers: a domain label and the canonical JSON, `alg` included. */
export const keyedText = (event: Unsealed): string =>
  `automatos-audit-record-v2\n${canonicalJson({ ...body(event), alg: KEYED_ALG })}`;

/** The keyed record hash: HMAC-SHA256 (hex) under the chain key. */
export const keyedHash = (keys: AuditKeys, event: Unsealed): string => keys.mac(keyedText(event));

type HeadFields = Pick<AuditHead, 'seq' | 'hash' | 'keyedFrom'>;

/** What the head's MAC covers: the last seq, its hash and where the keyed chain began. */
export const headText = ({ seq, hash, keyedFrom }: HeadFields): string =>
  `automatos-audit-head-v2\n${canonicalJson({ seq, hash, keyedFrom })}`;

export const headMac = (keys: AuditKeys, head: HeadFields): string => keys.mac(headText(head));

export const isAuditAlg = (text: string): text is AuditAlg => text === LEGACY_ALG || text === KEYED_ALG;

/** Parses a stored row; throws (a SyntaxError) when its JSON columns are not JSON. */
export function eventFromRow(row: AuditRow): AuditEvent {
  return {
    ...row,
    source: row.source as AuditEvent['source'],
    decision: row.decision as AuditEvent['decision'],
    alg: row.alg as AuditAlg,
    result: row.result === null ? null : (JSON.parse(row.result) as AuditEvent['result']),
    details: JSON.parse(row.details) as AuditEvent['details'],
  };
}

export function rowFromEvent(event: AuditEvent): AuditRow {
  return {
    ...event,
    result: event.result === null ? null : canonicalJson(event.result),
    details: canonicalJson(event.details),
  };
}
