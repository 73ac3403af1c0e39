import { z } from 'zod';
import { TimestampSchema } from '../../engine/index.js';
import { STEP_STATUSES, WORKFLOW_STATUSES } from '../../store/index.js';

// The data of the live events of a workflow, the same on the SSE stream and the WebSocket.

export const StatusEventSchema = z.strictObject({
  workflow_id: z.string(),
  app: z.string(),
  status: z.enum(WORKFLOW_STATUSES),
  error: z.string().nullable(),
});
export type StatusEvent = z.infer<typeof StatusEventSchema>;

export const StepEventSchema = z.strictObject({
  target: z.string(),
  step: z.string(),
  status: z.enum(STEP_STATUSES),
  detail: z.string().nullable(),
  at: TimestampSchema.nullable(),
});
export type StepEvent = z.infer<typeof StepEventSchema>;
