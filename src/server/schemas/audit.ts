import { z } from 'zod';
import { AUDIT_SOURCES } from '../../audit/index.js';
import { TimestampSchema } from '../../engine/index.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const AuditEventSchema = z.strictObject({
  seq: z.number().int().min(1),
  id: z.string(),
  at: TimestampSchema,
  principal: z.string(),
  source: z.enum(AUDIT_SOURCES),
  action: z.string(),
  target: z.string().nullable(),
  command: z.string().nullable().describe('secrets redacted'),
  decision: z.enum(['allow', 'deny']).nullable(),
  rule: z.string().nullable(),
  risk: z.number().int().min(0).max(100).nullable(),
  result: z
    .strictObject({
      exitCode: z.number().int().nullable(),
      signal: z.string().nullable().optional(),
      durationMs: z.number().min(0),
      stdoutBytes: z.number().int().min(0).optional(),
      stderrBytes: z.number().int().min(0).optional(),
    })
    .nullable(),
  workflowId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: sha256,
  hash: sha256.describe('sha256 of the canonical JSON of every other field'),
});

export const AuditListSchema = z.strictObject({ items: z.array(AuditEventSchema).describe('oldest first') });

export const AuditVerifySchema = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    count: z.number().int().min(0),
    head: z.strictObject({ seq: z.number().int().min(0), hash: z.string() }),
  }),
  z.strictObject({
    ok: z.literal(false),
    count: z.number().int().min(0).describe('records that verified before the first break'),
    firstBroken: z.strictObject({
      seq: z.number().int(),
      id: z.string().nullable(),
      reason: z.enum([
        'sequence_gap',
        'invalid_record',
        'prev_hash_mismatch',
        'hash_mismatch',
        'truncated',
        'head_mismatch',
      ]),
      message: z.string(),
    }),
  }),
]);
