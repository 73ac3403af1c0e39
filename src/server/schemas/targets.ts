import { z } from 'zod';
import { TargetViewSchema } from '../../engine/index.js';

/** The built-in target: this machine, through the same guarded executor. */
export const LocalTargetSchema = z.strictObject({
  name: z.literal('local'),
  builtin: z.literal(true),
  policy: z.string(),
  sandbox: z.enum(['bwrap', 'off']).describe('off when AUTOMATOS_LOCAL_SANDBOX=off'),
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
  sandbox: z
    .strictObject({
      mode: z.enum(['bwrap', 'off']),
      bwrap: z.boolean().describe('bubblewrap is installed'),
      bash: z.boolean().describe('bash is installed (user commands run in it; without it, POSIX sh)'),
      namespaces: z.boolean().describe('a trial bubblewrap could create its namespaces'),
      ready: z.boolean().describe('user commands can run: confined, or unconfined by the target’s policy'),
      problem: z.string().nullable(),
    })
    .describe('whether the target can confine user commands'),
});
