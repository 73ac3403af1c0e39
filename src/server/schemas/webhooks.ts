import { z } from 'zod';

const repositories = z.array(z.string()).describe('the registered repositories the delivery is signed for');
const skipped = z
  .array(z.strictObject({ repository: z.string(), reason: z.string() }))
  .describe(
    'registrations for which the push was not new: its commit already deployed or queued, another delivery of it, not on the branch, or older than what runs',
  );

/** What a delivery did; a delivery that could not queue anything is a 422 error instead. */
export const WebhookResultSchema = z.union([
  z.strictObject({
    status: z.literal('deployed'),
    repositories,
    workflows: z.array(z.strictObject({ repository: z.string(), workflowId: z.string() })),
    errors: z
      .array(z.strictObject({ repository: z.string(), code: z.string(), message: z.string() }))
      .describe('registrations whose deployment could not be queued'),
    skipped: skipped.optional(),
  }),
  z.strictObject({ status: z.literal('duplicate'), repositories }).describe('a replay: nothing done'),
  z
    .strictObject({
      status: z.literal('ignored'),
      repositories: repositories.optional(),
      reason: z.string(),
      skipped: skipped.optional(),
    })
    .describe(
      'not a push, a tag, a deleted branch or another branch; or a push that is not new (a replay under a new delivery id, a commit already deployed, an older commit: never a downgrade)',
    ),
]);
