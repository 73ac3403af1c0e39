import { z } from 'zod';
import type { Target } from '../../store/index.js';
import { TimestampSchema } from './time.js';

/** A registered target: never its key. */
export const TargetViewSchema = z.strictObject({
  name: z.string(),
  host: z.string(),
  port: z.number().int().min(1).max(65_535),
  user: z.string(),
  auth: z.enum(['key', 'agent']).describe('a private key stored encrypted, or ssh-agent'),
  host_key_fingerprint: z.string().nullable().describe('the pinned SHA256:… fingerprint; null until trusted'),
  policy: z.string().describe('policy profile: strict, standard or audit'),
  root: z.string().nullable().describe('deploy root; null: the runtime default'),
  sandbox: z
    .enum(['bwrap', 'off'])
    .describe('bwrap: user commands run in bubblewrap; off: unconfined, by the operator’s choice'),
  labels: z.record(z.string(), z.string()),
  created_at: TimestampSchema,
});
export type TargetView = z.infer<typeof TargetViewSchema>;

export const targetView = (t: Target): TargetView => ({
  name: t.name,
  host: t.host,
  port: t.port,
  user: t.user,
  auth: t.auth.kind,
  host_key_fingerprint: t.hostKeyFingerprint,
  policy: t.policyProfile,
  root: t.root,
  sandbox: t.sandbox,
  labels: t.labels,
  created_at: t.createdAt,
});
