import { z } from 'zod';

const command = z.string().min(1).max(2000);

/** A change to the manifest proposed after a failed step; applied, re-planned and reviewed again. */
export const FixSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('set_command'),
    field: z.enum(['build_command', 'start_command', 'test_command']),
    value: command,
  }),
  z.strictObject({
    kind: z.literal('add_system_dependency'),
    /** A Debian package name. */
    package: z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/),
  }),
  z.strictObject({ kind: z.literal('set_port'), port: z.number().int().min(1).max(65_535) }),
  z.strictObject({
    kind: z.literal('set_env'),
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    value: z.string().max(1000),
  }),
]);
export type Fix = z.infer<typeof FixSchema>;

export const DiagnosisSchema = z.strictObject({
  /** null when the diagnoser sees no fix it trusts; the workflow then fails as it would have. */
  fix: FixSchema.nullable(),
  /** What the log shows and why the fix should work, for the workflow record. */
  reason: z.string().min(1).max(1000),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
