import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import type { AuditKeys } from './keys.js';

export const CHECKPOINT_REASONS = ['chain-start', 'interval', 'verify', 'close'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** One line of the checkpoint file: a signed statement "the log had `count` records ending so". */
export const checkpointSchema = z.strictObject({
  v: z.literal(1),
  /** The last record: its seq, id and hash. */
  seq: z.number().int().min(1),
  id: z.string().min(1),
  hash: hex64,
  /** Records in the log at that point (equal to seq in an intact chain). */
  count: z.number().int().min(1),
  /** Seq of the first keyed record, or null while the chain was all legacy. */
  keyedFrom: z.number().int().min(1).nullable(),
  at: z.iso.datetime(),
  reason: z.enum(CHECKPOINT_REASONS),
  /** Ed25519 over the domain label and the canonical JSON of every other field, base64. */
  sig: z.string().min(1),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;
export type UnsignedCheckpoint = Omit<Checkpoint, 'sig'>;

const signedText = (checkpoint: UnsignedCheckpoint): string => {
  const { v, seq, id, hash, count, keyedFrom, at, reason } = checkpoint;
  return `automatos-audit-checkpoint-v1\n${canonicalJson({ v, seq, id, hash, count, keyedFrom, at, reason })}`;
};

export function signCheckpoint(keys: AuditKeys, checkpoint: UnsignedCheckpoint): Checkpoint {
  return { ...checkpoint, sig: keys.sign(signedText(checkpoint)) };
}

export const checkpointSignatureValid = (keys: AuditKeys, checkpoint: Checkpoint): boolean =>
  keys.verifySignature(signedText(checkpoint), checkpoint.sig);

/** The checkpoint on a line, or why it is not one. */
export function parseCheckpoint(
  line: string,
): { ok: true; checkpoint: Checkpoint } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, why: 'it is not JSON' };
  }
  const parsed = checkpointSchema.safeParse(value);
  if (parsed.success) return { ok: true, checkpoint: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, why: `${issue?.path.join('.') || '(line)'}: ${issue?.message ?? 'invalid'}` };
}

export const formatCheckpoint = (checkpoint: Checkpoint): string => `${JSON.stringify(checkpoint)}\n`;
