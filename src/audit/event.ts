import { createHash } from 'node:crypto';
import type { AuditRow } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditEvent } from './types.js';

/** sha256 (hex) of the canonical JSON of the event without its `hash` (extra properties are ignored). */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const { seq, id, at, principal, source, action, target, command, decision, rule, risk } = event;
  const { result, workflowId, details, prevHash } = event;
  const body = { seq, id, at, principal, source, action, target, command, decision, rule, risk };
  return createHash('sha256')
    .update(canonicalJson({ ...body, result, workflowId, details, prevHash }))
    .digest('hex');
}

/** Parses a stored row; throws (a SyntaxError) when its JSON columns are not JSON. */
export function eventFromRow(row: AuditRow): AuditEvent {
  return {
    ...row,
    source: row.source as AuditEvent['source'],
    decision: row.decision as AuditEvent['decision'],
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
