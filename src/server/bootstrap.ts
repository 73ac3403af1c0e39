import type { Orchestrator } from '../engine/index.js';
import { Sensitive } from '../security/index.js';

export const ADMIN_KEY_ENV = 'AUTOMATOS_ADMIN_KEY';

export type BootstrapResult =
  | { kind: 'existing' }
  | { kind: 'imported'; id: string }
  | { kind: 'created'; id: string; key: Sensitive<string> };

/**
 * A server with no usable admin key could never be administered over the API: the first start
 * creates one (shown once by the caller) or stores the digest of `AUTOMATOS_ADMIN_KEY`.
 */
export async function bootstrapAdminKey(
  orch: Orchestrator,
  env: NodeJS.ProcessEnv,
): Promise<BootstrapResult> {
  const given = env[ADMIN_KEY_ENV];
  if (given !== undefined && given !== '') {
    const record = await orch.apiKeys.importAdmin(new Sensitive(given.trim()));
    return { kind: 'imported', id: record.id };
  }
  if (await orch.apiKeys.hasUsableAdmin()) return { kind: 'existing' };
  const created = await orch.apiKeys.create({ role: 'admin', name: 'bootstrap admin' });
  await orch.audit.append({
    principal: 'system:bootstrap',
    source: 'api',
    action: 'key.create',
    details: { id: created.record.id, role: 'admin', bootstrap: true },
  });
  return { kind: 'created', id: created.record.id, key: created.key };
}
