import { z } from 'zod';

const repositories = z.array(z.string()).describe('the registered repositories the delivery is signed for');

/** What a delivery did; a delivery that could not queue anything is a 422 error instead. */
export const WebhookResultSchema = z.union([
  z.strictObject({
    status: z.literal('deployed'),
    repositories,
    workflows: z.array(z.strictObject({ repository: z.string(), workflowId: z.string() })),
    errors: z
      .array(z.strictObject({ repository: z.string(), code: z.string(), message: z.string() }))
      .describe('registrations whose deployment could not be queued'),
  }),
  z.strictObject({ status: z.literal('duplicate'), repositories }).describe('a replay: nothing done'),
  z
    .strictObject({ status: z.literal('ignored'), repositories: repositories.optional(), reason: z.string() })
    .describe('not a push, a tag, a deleted branch or another branch'),
]);
