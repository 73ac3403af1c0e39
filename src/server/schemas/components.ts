import { z } from 'zod';
import { AiModuleOutputSchema } from '../../manifest/index.js';
import {
  LogChunkViewSchema,
  PlanViewSchema,
  RunResultViewSchema,
  TargetViewSchema,
} from '../../engine/index.js';
import { AuditEventSchema } from './audit.js';
import { StatusEventSchema, StepEventSchema } from './events.js';
import { ApiKeyViewSchema } from './keys.js';
import { ErrorBodySchema } from './responses.js';
import { TargetReportSchema } from './targets.js';
import { WorkflowDetailSchema, WorkflowViewSchema } from './workflows.js';

/**
 * The schemas /openapi.json names under components/schemas (and refers to with $ref) instead of
 * repeating them inline; clients generate one type per name. The SSE and WebSocket event data are
 * here too, though no JSON response holds them, so that the stream descriptions can name them.
 */
const NAMED: Record<string, z.ZodType> = {
  Error: ErrorBodySchema,
  Workflow: WorkflowViewSchema,
  WorkflowDetail: WorkflowDetailSchema,
  LogChunk: LogChunkViewSchema,
  StatusEvent: StatusEventSchema,
  StepEvent: StepEventSchema,
  Target: TargetViewSchema,
  TargetReport: TargetReportSchema,
  RunResult: RunResultViewSchema,
  Plan: PlanViewSchema,
  Manifest: AiModuleOutputSchema,
  ApiKey: ApiKeyViewSchema,
  AuditEvent: AuditEventSchema,
};

export const COMPONENT_IDS: readonly string[] = Object.keys(NAMED);

// The ids go to zod's global registry, where `.describe()` keeps descriptions too: the provider
// reads both from the one registry it is given, so a registry of our own would lose every description.
for (const [id, schema] of Object.entries(NAMED)) {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id });
}
