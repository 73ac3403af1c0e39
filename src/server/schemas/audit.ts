import { z } from 'zod';
import {
  AUDIT_BREAK_REASONS,
  AUDIT_CHECKS,
  AUDIT_SOURCES,
  KEYED_ALG,
  LEGACY_ALG,
} from '../../audit/index.js';
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
  alg: z
    .enum([LEGACY_ALG, KEYED_ALG])
    .describe('hmac-sha256: keyed chain; sha256: a legacy record written before the keyed chain began'),
  hash: sha256.describe(
    'HMAC-SHA256 (or, for a legacy record, SHA-256) of the canonical JSON of every other field',
  ),
});

export const AuditListSchema = z.strictObject({ items: z.array(AuditEventSchema).describe('oldest first') });

const AuditProblemSchema = z.strictObject({
  check: z
    .enum(AUDIT_CHECKS)
    .describe('chain: the records; head: the head row; checkpoint: the signed checkpoint file'),
  reason: z.enum(AUDIT_BREAK_REASONS),
  seq: z.number().int().nullable().describe('the record concerned'),
  id: z.string().nullable(),
  line: z.number().int().min(1).nullable().describe('the line of the checkpoint file'),
  message: z.string(),
});

const SeqAt = z.strictObject({ seq: z.number().int().min(1), at: TimestampSchema });

export const AuditVerifySchema = z.strictObject({
  ok: z.boolean(),
  count: z.number().int().min(0).describe('records that verified (before the first broken one)'),
  head: z.strictObject({ seq: z.number().int().min(0), hash: z.string() }).nullable(),
  keyedFrom: z.number().int().min(1).nullable().describe('seq of the first keyed record'),
  legacy: z.number().int().min(0).describe('records before the keyed chain began (plain SHA-256)'),
  firstBroken: AuditProblemSchema.nullable(),
  problems: z.array(AuditProblemSchema),
  checkpoints: z.strictObject({
    file: z.string().nullable(),
    total: z.number().int().min(0),
    verified: z.number().int().min(0),
    last: SeqAt.nullable(),
    publicKey: z.string().nullable().describe('Ed25519 public key (base64) that verifies the checkpoints'),
    written: SeqAt.nullable().describe('the checkpoint this verify signed'),
  }),
  notes: z.array(z.string()),
});
