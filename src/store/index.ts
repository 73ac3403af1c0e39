export { openStore, maskDatabaseUrl, DATABASE_FILE } from './open.js';
export type { OpenStoreOptions, Store, StoreDialect } from './open.js';
export type { TargetsRepo, Target, TargetAuth, NewTarget, TargetPatch } from './targets-repo.js';
export type { KeysRepo, SealedRecord, KeyInfo } from './keys-repo.js';
export type { AuditRepo, AuditRow, AuditHead, AuditAppend, AuditQuery } from './audit-repo.js';
export type {
  WorkflowsRepo,
  Workflow,
  NewWorkflow,
  WorkflowPatch,
  WorkflowQuery,
  UpdateOptions as WorkflowUpdateOptions,
} from './workflows-repo.js';
export type { StepsRepo, StepRecord, StepUpsert } from './steps-repo.js';
export type { LogsRepo, LogChunk, NewLogChunk, LogQuery } from './logs-repo.js';
export type { AppsRepo, ReleasesRepo, App, Release, ReleaseUpsert } from './apps-repo.js';
export type { AppSecretsRepo, AppSecret } from './app-secrets-repo.js';
export type { HealthRepo, HealthResult, NewHealthResult, HealthQuery } from './health-repo.js';
export type { AlertsRepo, Alert, NewAlert, AlertQuery } from './alerts-repo.js';
export type { LocksRepo, Lock } from './locks-repo.js';
export type { ApiKeysRepo, ApiKeyRecord, ApiKeyRole, NewApiKey } from './api-keys-repo.js';
export type { ForgeProvider, NewRepository, RepositoriesRepo, Repository } from './repositories-repo.js';
export type { WorkflowApproval, WorkflowReview, WorkflowTier2 } from './workflow-tier2.js';
export type { AgentExchangesRepo, AgentExchangeRecord, NewAgentExchange } from './agent-exchanges-repo.js';
export type { WorkflowFixesRepo, FixRecord, NewFix } from './workflow-fixes-repo.js';
export {
  WORKFLOW_STATUSES,
  STEP_STATUSES,
  LOG_STREAMS,
  RELEASE_STATUSES,
  HEALTH_STATES,
  REVIEW_VERDICTS,
} from './schema.js';
export type {
  Database,
  KeyKind,
  WorkflowStatus,
  StepStatus,
  LogStream,
  ReleaseStatus,
  HealthState,
  ReviewVerdict,
} from './schema.js';
