import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import { DNS_LABEL } from '../../manifest/index.js';
import { classifyGitUrl, repositoryKey, validateRef } from '../../source/index.js';
import type { Repository } from '../../store/index.js';
import { LOCAL_TARGET } from '../local-target.js';
import type { Orchestrator } from '../orchestrator.js';
import { forgetHistory } from './history.js';

export const RegisterRepositorySchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, 'a lower-case DNS label (a-z, 0-9, -)'),
  url: z.string().min(1).max(2048),
  provider: z.enum(['github', 'gitlab']),
  branch: z.string().min(1).max(255),
  targets: z.array(z.string().min(1)).min(1),
  /** Default: 32 random bytes, returned once. */
  secret: z.string().min(16, 'at least 16 characters').max(512).optional(),
});
export type RegisterRepositoryInput = z.input<typeof RegisterRepositorySchema>;

/**
 * Registers a repository for GitOps: pushes to `branch` deploy to `targets`. The webhook secret is
 * stored encrypted and returned once, for the forge's webhook settings.
 */
export async function registerRepository(
  orch: Orchestrator,
  input: RegisterRepositoryInput,
  actor: Actor,
): Promise<{ repository: Repository; secret: string }> {
  const parsed = RegisterRepositorySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AutomatosError(
      'AUT_INVALID_INPUT',
      `repository ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      },
    );
  }
  const { name, url, provider, branch, targets } = parsed.data;
  classifyGitUrl(url);
  validateRef(branch);
  for (const target of targets) if (target !== LOCAL_TARGET) await orch.store.targets.get(target);
  const secret = parsed.data.secret ?? randomBytes(32).toString('base64url');
  const secretKeyId = await orch.keystore.putSecret(`webhook:${name}`, secret);
  try {
    const repository = await orch.store.repositories.create({
      name,
      url,
      urlKey: repositoryKey(url),
      provider,
      branch,
      targets: [...new Set(targets)],
      secretKeyId,
    });
    // A history left by an earlier registration of the name is another repository's.
    await forgetHistory(orch.dataDir, name);
    await orch.audit.append({
      ...actor,
      action: 'repository.register',
      details: { name, url, provider, branch, targets },
    });
    return { repository, secret };
  } catch (error) {
    await orch.keystore.remove(secretKeyId);
    throw error;
  }
}

export async function removeRepository(orch: Orchestrator, name: string, actor: Actor): Promise<void> {
  await orch.keystore.remove(await orch.store.repositories.remove(name));
  await forgetHistory(orch.dataDir, name);
  await orch.audit.append({ ...actor, action: 'repository.remove', details: { name } });
}

/** The clear webhook secret, only to check a delivery's signature. */
export async function repositorySecret(orch: Orchestrator, repository: Repository): Promise<string> {
  return (await orch.keystore.getSecret(repository.secretKeyId)).reveal();
}
