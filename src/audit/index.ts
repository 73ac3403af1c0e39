export { AuditLog } from './audit-log.js';
export type { AuditLogOptions } from './audit-log.js';
export { canonicalJson } from './canonical-json.js';
export { hashEvent, keyedHash, headMac } from './event.js';
export { AuditKeys, deriveAuditKeys, CHAIN_KEY_INFO, SIGNING_KEY_INFO } from './keys.js';
export { checkpointPath } from './checkpoint-file.js';
export { CHECKPOINT_REASONS, checkpointSchema } from './checkpoint.js';
export type { Checkpoint, CheckpointReason } from './checkpoint.js';
export { DEFAULT_CHECKPOINT_EVERY } from './checkpointer.js';
export type { CheckpointOptions } from './checkpointer.js';
export { AUDIT_SOURCES, ZERO_HASH, LEGACY_ALG, KEYED_ALG } from './types.js';
export type { AuditSource, AuditAlg, AuditRecord, AuditResult, AuditEvent, AuditListQuery } from './types.js';
export { AUDIT_CHECKS, AUDIT_BREAK_REASONS } from './verify-result.js';
export type {
  AuditCheck,
  AuditBreakReason,
  AuditProblem,
  CheckpointSummary,
  VerifyResult,
} from './verify-result.js';
