import { z } from 'zod';
import { TargetViewSchema } from '../../engine/index.js';

/** The built-in target: this machine, through the same guarded executor. */
export const LocalTargetSchema = z.strictObject({
  name: z.literal('local'),
  builtin: z.literal(true),
  policy: z.string(),
});

export const TargetItemSchema = z.union([LocalTargetSchema, TargetViewSchema]);

export const TargetListSchema = z.strictObject({
  items: z.array(TargetItemSchema).describe('`local` first when the key’s scope holds it'),
});

/** `targets check`: what the host is, read through the guard (policy-checked, audited). */
export const TargetReportSchema = z.strictObject({
  target: z.string(),
  latencyMs: z.number().describe('a `true` on the open connection'),
  firstCommandMs: z.number().describe('the first command, connection setup included'),
  kernel: z.string(),
  os: z.string(),
  user: z.string(),
  systemd: z.boolean(),
  docker: z.boolean(),
  packageManager: z.enum(['apt', 'dnf', 'apk']).nullable(),
  root: z.string(),
  rootWritable: z.boolean(),
});
