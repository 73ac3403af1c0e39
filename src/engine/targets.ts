import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AutomatosError } from '../core/index.js';
import { DNS_LABEL } from '../manifest/index.js';
import { normalizeFingerprint } from '../exec/index.js';
import type { Actor } from '../exec/index.js';
import { PROFILES } from '../policy/index.js';
import { SANDBOX_MODES } from '../sandbox/index.js';
import type { Target } from '../store/index.js';
import { LOCAL_TARGET } from './local-target.js';
import type { Orchestrator } from './orchestrator.js';
import { probeTarget, type TargetReport } from './probe.js';

export const AddTargetSchema = z.strictObject({
  name: z
    .string()
    .max(63)
    .regex(DNS_LABEL, 'must be lowercase letters, digits and "-" (a DNS label)')
    .refine((name) => name !== LOCAL_TARGET, '"local" is the built-in target and cannot be registered'),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]_-]+$/, 'must be a hostname or IP address')
    .refine((h) => !h.startsWith('-'), {
      message: 'must not start with "-"',
    }),
  port: z.number().int().min(1).max(65_535).default(22),
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name')
    .default('root'),
  keyFile: z.string().min(1).optional(),
  /** The PEM itself (the API cannot point at a file on the orchestrator's disk). */
  privateKey: z.string().min(1).max(32_768).optional(),
  agent: z.boolean().default(false),
  fingerprint: z
    .string()
    .regex(/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/, 'must be an OpenSSH SHA256 fingerprint such as SHA256:abc…')
    .optional(),
  trustHostKey: z.boolean().default(false),
  policy: z.enum(PROFILES).default('standard'),
  /** `off` runs user commands unconfined: the operator's explicit choice, shown wherever it matters. */
  sandbox: z.enum(SANDBOX_MODES).default('bwrap'),
  root: z
    .string()
    .regex(/^\/\S*$/, 'must be an absolute path')
    .optional(),
  labels: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), z.string()).default({}),
});
export type AddTargetInput = z.input<typeof AddTargetSchema>;

function invalid(error: z.ZodError): AutomatosError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return new AutomatosError('AUT_INVALID_INPUT', `invalid target ${field}: ${issue?.message ?? 'invalid'}`, {
    details: { issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/**
 * Registers an SSH target. The private key is stored encrypted; with `trustHostKey` the host is
 * contacted once to pin its key, and the target is rolled back if that fails.
 */
export async function addTarget(orch: Orchestrator, raw: AddTargetInput, actor: Actor): Promise<Target> {
  const parsed = AddTargetSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error);
  const input = parsed.data;
  const ways = [input.keyFile !== undefined, input.privateKey !== undefined, input.agent].filter(Boolean);
  if (ways.length !== 1) {
    throw new AutomatosError(
      'AUT_USAGE',
      'give exactly one of --key FILE (private_key over the API) or --agent',
    );
  }
  if (input.fingerprint !== undefined && input.trustHostKey) {
    throw new AutomatosError('AUT_USAGE', 'give --fingerprint or --trust-host-key, not both');
  }
  let keyId: string | null = null;
  if (input.keyFile !== undefined) {
    const pem = await readFile(input.keyFile, 'utf8').catch((error: unknown) => {
      throw new AutomatosError(
        'AUT_IO',
        `cannot read key file ${input.keyFile}: ${(error as Error).message}`,
      );
    });
    keyId = await orch.keystore.putKey(`target:${input.name}`, pem);
  } else if (input.privateKey !== undefined) {
    keyId = await orch.keystore.putKey(`target:${input.name}`, input.privateKey);
  }
  let target: Target;
  try {
    target = await orch.store.targets.create({
      name: input.name,
      host: input.host,
      port: input.port,
      user: input.user,
      auth: keyId === null ? { kind: 'agent' } : { kind: 'key', keyId },
      hostKeyFingerprint: input.fingerprint === undefined ? null : normalizeFingerprint(input.fingerprint),
      policyProfile: input.policy,
      sandbox: input.sandbox,
      root: input.root ?? null,
      labels: input.labels,
    });
  } catch (error) {
    if (keyId !== null) await orch.keystore.remove(keyId);
    throw error;
  }
  await orch.audit.append({
    ...actor,
    action: 'target.add',
    target: target.name,
    details: {
      host: target.host,
      port: target.port,
      user: target.user,
      auth: target.auth.kind,
      policy: input.policy,
      sandbox: input.sandbox,
    },
  });
  if (input.trustHostKey) {
    try {
      await probeTarget(orch, target.name, actor, { trustHostKey: true });
    } catch (error) {
      await removeTarget(orch, target.name, actor);
      throw error;
    }
    return orch.store.targets.get(target.name);
  }
  return target;
}

export async function removeTarget(orch: Orchestrator, name: string, actor: Actor): Promise<void> {
  const target = await orch.store.targets.get(name);
  await orch.forget(name);
  await orch.store.targets.remove(name);
  if (target.auth.kind === 'key') await orch.keystore.remove(target.auth.keyId);
  await orch.audit.append({ ...actor, action: 'target.remove', target: name });
}

export type { TargetReport };
