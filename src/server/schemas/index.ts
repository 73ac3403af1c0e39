export { COMPONENT_IDS } from './components.js';
export { AppDetailSchema, AppListSchema, RollbackResultSchema, SecretNamesSchema } from './apps.js';
export { AuditListSchema, AuditVerifySchema } from './audit.js';
export type { StatusEvent, StepEvent } from './events.js';
export { ApiKeyListSchema, ApiKeyViewSchema, CreatedKeySchema } from './keys.js';
export type { ApiKeyView } from './keys.js';
export { JsonRpcRefusalSchema, McpBodySchema, McpRefusalSchema, McpResultSchema } from './mcp.js';
export {
  BODY,
  empty,
  ErrorBodySchema,
  errors,
  json,
  KEYED,
  OPEN,
  PARAMS,
  REMOTE,
  text,
} from './responses.js';
export type { ErrorBody } from './responses.js';
export { ExecuteResultSchema, HealthSchema, ReadySchema } from './system.js';
export { TargetItemSchema, TargetListSchema, TargetReportSchema } from './targets.js';
export { ManifestValidationSchema, PolicyCheckResultSchema, TemplateSchema } from './tools.js';
export { WebhookResultSchema } from './webhooks.js';
export {
  DecisionBodySchema,
  StoppedSchema,
  SubmittedSchema,
  WorkflowDetailSchema,
  WorkflowListSchema,
} from './workflows.js';
export type { TargetResultStatus, WorkflowView } from './workflows.js';
