export { openStore, DATABASE_FILE } from './open.js';
export type { OpenStoreOptions, Store } from './open.js';
export type { TargetsRepo, Target, TargetAuth, NewTarget, TargetPatch } from './targets-repo.js';
export type { KeysRepo, SealedRecord, KeyInfo } from './keys-repo.js';
export type { AuditRepo, AuditRow, AuditHead, AuditQuery } from './audit-repo.js';
export type { Database, KeyKind } from './schema.js';
