/**
 * Row types of every table, as Kysely sees them. Column conventions (kept portable to PostgreSQL):
 * - timestamps are ISO-8601 UTC text with milliseconds (`2025-01-31T12:00:00.000Z`, always from
 *   `Date#toISOString`), so they sort and compare lexicographically in both SQLite and PostgreSQL;
 * - JSON is stored as text and parsed by the repository that owns the table;
 * - binary values (ciphertext, IV, tag) are base64 text, avoiding blob/bytea differences.
 */
import type {
  ApiKeysTable,
  AuditEventsTable,
  AuditHeadTable,
  RepositoriesTable,
  WebhookDeliveriesTable,
} from './schema-access.js';

export type {
  ApiKeysTable,
  AuditEventsTable,
  AuditHeadTable,
  RepositoriesTable,
  WebhookDeliveriesTable,
} from './schema-access.js';

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
  /** `bwrap`, or `off` where the operator chose to run user commands unconfined. */
  sandbox: 'bwrap' | 'off';
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

export interface Database {
  targets: TargetsTable;
  keys: KeysTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  workflows: WorkflowsTable;
  workflow_steps: WorkflowStepsTable;
  log_chunks: LogChunksTable;
  apps: AppsTable;
  releases: ReleasesTable;
  app_secrets: AppSecretsTable;
  health_results: HealthResultsTable;
  alerts: AlertsTable;
  locks: LocksTable;
  api_keys: ApiKeysTable;
  repositories: RepositoriesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  agent_exchanges: AgentExchangesTable;
  workflow_fixes: WorkflowFixesTable;
}

export const WORKFLOW_STATUSES = [
  'queued',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'cancelled',
  'rolled_back',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const LOG_STREAMS = ['stdout', 'stderr', 'system'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

export const RELEASE_STATUSES = [
  'building',
  'active',
  'previous',
  'failed',
  'rolled_back',
  'pruned',
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export interface WorkflowsTable {
  id: string;
  tier: number;
  /** Repository URL or path, credentials already redacted by the caller. */
  source: string;
  ref: string | null;
  commit_sha: string | null;
  app: string;
  /** JSON array of target names. */
  targets: string;
  requested_by: string;
  status: WorkflowStatus;
  current_step: string | null;
  release_id: string | null;
  error: string | null;
  /** JSON snapshot of the plan, or null. */
  plan: string | null;
  attempt: number;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Tier 2: the prompt the manifest was planned from. */
  task_prompt: string | null;
  /** JSON array of the prompt's requirements, or null. */
  requirements: string | null;
  agent_provider: string | null;
  agent_model: string | null;
  /** Tokens of every agent exchange of the workflow, summed. */
  input_tokens: number;
  output_tokens: number;
  review_verdict: ReviewVerdict | null;
  /** JSON array of review findings, or null before the review. */
  review_findings: string | null;
  /** JSON `{decision, by, at, reason, covers}`, or null. */
  approval: string | null;
}

/** What the review of a plan concluded: run it, wait for an operator, or never run it. */
export const REVIEW_VERDICTS = ['allowed', 'approval_required', 'denied'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

export interface AgentExchangesTable {
  workflow_id: string;
  /** 1, 2, 3 … per workflow. */
  seq: number;
  agent: 'planner' | 'diagnoser';
  provider: string;
  model: string | null;
  /** Redacted by the agent before it reaches the store. */
  request: string;
  response: string;
  input_tokens: number | null;
  output_tokens: number | null;
  /** 0 or 1. */
  ok: number;
  error: string | null;
  at: string;
}

export interface WorkflowFixesTable {
  workflow_id: string;
  attempt: number;
  step: string;
  target: string;
  reason: string;
  /** JSON of the proposed fix, or null when there was none. */
  fix: string | null;
  verdict: ReviewVerdict | null;
  /** 0 or 1. */
  applied: number;
  at: string;
}

export interface WorkflowStepsTable {
  workflow_id: string;
  target: string;
  step: string;
  position: number;
  status: StepStatus;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  error: string | null;
}

export interface LogChunksTable {
  workflow_id: string;
  /** 1, 2, 3 … per workflow. */
  seq: number;
  target: string | null;
  step: string | null;
  stream: LogStream;
  at: string;
  text: string;
}

export interface AppsTable {
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ReleasesTable {
  app: string;
  target: string;
  release_id: string;
  workflow_id: string | null;
  commit_sha: string | null;
  status: ReleaseStatus;
  created_at: string;
  activated_at: string | null;
  stopped_at: string | null;
}

export interface AppSecretsTable {
  app: string;
  name: string;
  key_id: string;
  updated_at: string;
}

export interface HealthResultsTable {
  id: string;
  app: string;
  target: string;
  release_id: string | null;
  at: string;
  /** 0 or 1. */
  healthy: number;
  status_code: number | null;
  latency_ms: number | null;
  detail: string | null;
}

export const HEALTH_STATES = ['healthy', 'unhealthy'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface AlertsTable {
  id: string;
  app: string;
  target: string;
  release_id: string | null;
  at: string;
  state: HealthState;
  /** null: the first result ever recorded for (app, target). */
  previous_state: HealthState | null;
  message: string;
}

export interface LocksTable {
  name: string;
  owner: string;
  acquired_at: string;
  /** Epoch milliseconds (bigint: pg returns it as a string, repositories coerce). */
  expires_at: number | string;
}
