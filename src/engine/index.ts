export { planDeployment, loadDeployable } from './plan-deployment.js';
export type { Deployable, PlanRequest, PlannedDeployment } from './plan-deployment.js';
export { localTargetFacts, localTargetView, LOCAL_TARGET, LOCAL_SANDBOX_ENV } from './local-target.js';
export { Orchestrator, cliActor } from './orchestrator.js';
export type { OrchestratorOptions, ResolveOptions } from './orchestrator.js';
export { addTarget, removeTarget, AddTargetSchema } from './targets.js';
export type { AddTargetInput } from './targets.js';
export { probeTarget, factsFromReport, targetFacts } from './probe.js';
export type { TargetReport } from './probe.js';
export { loadPolicyConfig, POLICY_FILE, POLICY_FILE_ENV } from './policy-file.js';
export { submitDeployment, runWorkflow } from './deploy/deploy.js';
export type {
  DeployRequest,
  DeployOutcome,
  RunRequest,
  SubmittedDeployment,
  TargetOutcome,
  TargetStatus,
} from './deploy/deploy.js';
export { WorkflowEngine, concurrencyFrom } from './engine.js';
export type { EngineOptions, Submitted } from './engine.js';
export { InProcessQueue, DEFAULT_CONCURRENCY } from './queue/index.js';
export type { Job, JobHandler, JobQueue, QueueStats } from './queue/index.js';
export { InProcessEventBus, forWorkflow } from './events/index.js';
export type {
  AlertEvent,
  EngineEvent,
  EventBus,
  EventHandler,
  HealthEvent,
  LogEvent,
  StepEvent,
  WorkflowStatusEvent,
} from './events/index.js';
export type { DeployEvents, LogStreamName, Phase, StepStatus } from './deploy/events.js';
export { rollbackApp } from './deploy/rollback.js';
export type { RollbackOutcome, RollbackRequest } from './deploy/rollback.js';
export { startApp, stopApp } from './deploy/app-control.js';
export type { AppControlOutcome, AppControlRequest } from './deploy/app-control.js';
export {
  HealthMonitor,
  monitorOnce,
  recordHealth,
  DEFAULT_MONITOR_CONCURRENCY,
  DEFAULT_MONITOR_INTERVAL_MS,
} from './monitor/index.js';
export type {
  HealthMonitorOptions,
  HealthSample,
  MonitorCheck,
  MonitorOptions,
  RecordedHealth,
} from './monitor/index.js';
export { resumeWorkflows } from './deploy/resume.js';
export type { ResumeResult } from './deploy/resume.js';
export { stopWorkflow, FINISHED_STATUSES, SETTLED_STATUSES } from './workflow/stop.js';
export { approveWorkflow, rejectWorkflow } from './workflow/approval.js';
export { applyFix, describeFix } from './tier2/apply-fix.js';
export { MAX_FIXES } from './tier2/diagnose.js';
export { MAX_PROMPT_CHARS, planDirectoryFromPrompt } from './tier2/plan-from-prompt.js';
export type { PromptPlan } from './tier2/plan-from-prompt.js';
export { reviewPlanned } from './review/planned.js';
export type { PlannedReview } from './review/planned.js';
export {
  approvalKeys,
  concludeReview,
  findingLine,
  HIGH_RISK,
  judgePlan,
  unapproved,
} from './review/index.js';
export type { CommandVerdict, PlanReview, ReviewFinding, ReviewTarget } from './review/index.js';
export {
  handlePush,
  registerRepository,
  removeRepository,
  repositorySecret,
  RegisterRepositorySchema,
} from './gitops/index.js';
export type { PushDelivery, PushResult, RegisterRepositoryInput } from './gitops/index.js';
export {
  logChunkView,
  LogChunkViewSchema,
  planView,
  PlanViewSchema,
  runResultView,
  RunResultViewSchema,
  targetView,
  TargetViewSchema,
  TimestampSchema,
} from './views/index.js';
export type { LogChunkView, PlanView, RunResultView, TargetView } from './views/index.js';
export { CommandPolicyViewSchema, ReviewViewSchema, commandPolicyView, reviewView } from './views/index.js';
export type { CommandPolicyView, ReviewView } from './views/index.js';
export {
  AppNameSchema,
  SecretNameSchema,
  SecretValueSchema,
  checkAppName,
  checkSecretName,
  listAppSecrets,
  removeAppSecret,
  setAppSecret,
} from './secrets/index.js';
export { runExec, targetSecretValues, inputProblem, visibleControls } from './exec/index.js';
export type { ExecOutcome, ExecRequest, ExecInput, InputProblem } from './exec/index.js';
