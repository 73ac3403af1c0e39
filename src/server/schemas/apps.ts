import { z } from 'zod';
import { TimestampSchema } from '../../engine/index.js';
import { HEALTH_STATES, RELEASE_STATUSES } from '../../store/index.js';

export const AppListSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      name: z.string(),
      targets: z.array(z.string()),
      serving: z.array(z.strictObject({ target: z.string(), release_id: z.string() })),
      created_at: TimestampSchema,
      updated_at: TimestampSchema,
    }),
  ),
});

// The store's records as they are (camelCase), as `automatos apps show --json` prints them.

const ReleaseSchema = z.strictObject({
  app: z.string(),
  target: z.string(),
  releaseId: z.string(),
  workflowId: z.string().nullable(),
  commitSha: z.string().nullable(),
  status: z.enum(RELEASE_STATUSES),
  createdAt: TimestampSchema,
  activatedAt: TimestampSchema.nullable(),
  stoppedAt: TimestampSchema.nullable().describe('set while stopped on purpose (apps stop)'),
});

const HealthResultSchema = z.strictObject({
  id: z.string(),
  app: z.string(),
  target: z.string(),
  releaseId: z.string().nullable(),
  at: TimestampSchema,
  healthy: z.boolean(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  detail: z.string().nullable(),
});

const AlertSchema = z.strictObject({
  id: z.string(),
  app: z.string(),
  target: z.string(),
  releaseId: z.string().nullable(),
  at: TimestampSchema,
  state: z.enum(HEALTH_STATES),
  previousState: z.enum(HEALTH_STATES).nullable(),
  message: z.string(),
});

export const AppDetailSchema = z.strictObject({
  app: z.string(),
  releases: z.array(ReleaseSchema).describe('per target, newest first'),
  health: z.array(HealthResultSchema).describe('the latest 100 health results'),
  alerts: z.array(AlertSchema).describe('the latest 100 health transitions'),
});

export const RollbackResultSchema = z.strictObject({
  workflow_id: z.string(),
  app: z.string(),
  target: z.string(),
  from: z.string().nullable().describe('the release that served before'),
  to: z.string(),
});

export const SecretNamesSchema = z.strictObject({
  app: z.string(),
  names: z.array(z.string()).describe('names only: values never leave the server'),
});
