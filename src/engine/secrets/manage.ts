import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { checkAppName, checkSecretName, SecretValueSchema } from './names.js';

/**
 * Secrets as the CLI and the API manage them: names checked by the same schemas before anything
 * is encrypted or stored, so `../../etc`, `a/b` or a name with a newline never becomes a row.
 */
export async function setAppSecret(
  orch: Orchestrator,
  app: string,
  name: string,
  value: string,
  actor: Actor,
): Promise<void> {
  checkAppName(app);
  checkSecretName(name);
  const parsed = SecretValueSchema.safeParse(value);
  if (!parsed.success) {
    // The value itself is never part of the message.
    const reason = parsed.error.issues[0]?.message ?? 'is invalid';
    throw new AutomatosError('AUT_INVALID_INPUT', `the value of secret ${name} of ${app} ${reason}`, {
      details: { field: 'value', reason },
    });
  }
  await orch.setSecret(app, name, value, actor);
}

export async function removeAppSecret(
  orch: Orchestrator,
  app: string,
  name: string,
  actor: Actor,
): Promise<void> {
  checkAppName(app);
  checkSecretName(name);
  await orch.removeSecret(app, name, actor);
}

/** Names only, sorted; values never leave. */
export async function listAppSecrets(orch: Orchestrator, app: string): Promise<string[]> {
  checkAppName(app);
  return orch.store.appSecrets.list(app);
}
