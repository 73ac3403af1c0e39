import { z } from 'zod';

export const AUDIT_SOURCES = ['cli', 'api', 'mcp', 'webhook', 'engine'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export const ZERO_HASH = '0'.repeat(64);

/** Records written before the keyed chain (migration 0007): plain SHA-256, verifiable by anyone. */
export const LEGACY_ALG = 'sha256';
/** Records of the keyed chain: HMAC-SHA256 under a key derived from the master key. */
export const KEYED_ALG = 'hmac-sha256';
export type AuditAlg = typeof LEGACY_ALG | typeof KEYED_ALG;

const resultSchema = z.strictObject({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable().optional(),
  durationMs: z.number().nonnegative(),
  stdoutBytes: z.number().int().nonnegative().optional(),
  stderrBytes: z.number().int().nonnegative().optional(),
});

export type AuditResult = z.infer<typeof resultSchema>;

const optionalText = z.string().min(1).nullable().optional();

/** What a caller appends. Everything that is not known is left out (stored as null). */
export const auditRecordSchema = z.strictObject({
  /** Defaults to now. */
  at: z.union([z.date(), z.string()]).optional(),
  principal: z.string().min(1),
  source: z.enum(AUDIT_SOURCES),
  action: z.string().min(1),
  target: optionalText,
  /** Redacted before it is stored. */
  command: z.string().nullable().optional(),
  decision: z.enum(['allow', 'deny']).nullable().optional(),
  rule: optionalText,
  risk: z.number().int().min(0).max(100).nullable().optional(),
  result: resultSchema.nullable().optional(),
  workflowId: optionalText,
  /** Free-form JSON; its strings are redacted too. */
  details: z.record(z.string(), z.unknown()).optional(),
});

export type AuditRecord = z.input<typeof auditRecordSchema>;

/**
 * A stored event. `hash` = HMAC-SHA256 (`alg` hmac-sha256) or, for legacy records, SHA-256
 * (`alg` sha256) of the canonical JSON of every other field.
 */
export interface AuditEvent {
  seq: number;
  id: string;
  at: string;
  principal: string;
  source: AuditSource;
  action: string;
  target: string | null;
  command: string | null;
  decision: 'allow' | 'deny' | null;
  rule: string | null;
  risk: number | null;
  result: AuditResult | null;
  workflowId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  alg: AuditAlg;
  hash: string;
}

export interface AuditListQuery {
  target?: string;
  since?: Date | string;
  limit?: number;
}
