export { AuditLog } from './audit-log.js';
export type { AuditLogOptions } from './audit-log.js';
export { canonicalJson } from './canonical-json.js';
export { hashEvent } from './event.js';
export { AUDIT_SOURCES, ZERO_HASH } from './types.js';
export type {
  AuditSource,
  AuditRecord,
  AuditResult,
  AuditEvent,
  AuditBreakReason,
  AuditListQuery,
  VerifyResult,
} from './types.js';
