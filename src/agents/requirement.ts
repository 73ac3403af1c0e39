import { z } from 'zod';

/** The longest text, how or why a requirement may carry. */
export const REQUIREMENT_TEXT_MAX = 500;
const text = z.string().min(1).max(REQUIREMENT_TEXT_MAX);

/**
 * One wish read from the task prompt and what became of it. Nothing the user asked for is dropped
 * silently: each is either met (and by which manifest field or step) or unmet (and why).
 */
export const RequirementSchema = z.discriminatedUnion('status', [
  z.strictObject({
    text,
    status: z.literal('met'),
    /** The manifest field or step that meets it, e.g. `port: 5000` or `test_command`. */
    how: text,
  }),
  z.strictObject({
    text,
    status: z.literal('unmet'),
    /** Why the orchestrator cannot meet it, written for the operator who approves the plan. */
    why: text,
  }),
]);
export type Requirement = z.infer<typeof RequirementSchema>;
