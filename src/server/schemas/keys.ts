import { z } from 'zod';
import { TimestampSchema } from '../../engine/index.js';
import { RoleSchema } from '../../security/index.js';

const nullableTime = TimestampSchema.nullable();

/** Everything about a key except the key (and its digest). */
export const ApiKeyViewSchema = z.strictObject({
  id: z.string().describe('the public part of the key: atm_<id>_…'),
  name: z.string(),
  role: RoleSchema,
  targets: z.array(z.string()).nullable().describe('null: every target'),
  grants: z.array(z.string()).describe('actions beyond the role'),
  created_at: TimestampSchema,
  expires_at: nullableTime,
  revoked_at: nullableTime,
  last_used_at: nullableTime.describe('updated at most once a minute'),
});
export type ApiKeyView = z.infer<typeof ApiKeyViewSchema>;

export const ApiKeyListSchema = z.strictObject({ items: z.array(ApiKeyViewSchema) });

export const CreatedKeySchema = ApiKeyViewSchema.extend({
  key: z.string().describe('the key itself: in this response only, never again'),
});
