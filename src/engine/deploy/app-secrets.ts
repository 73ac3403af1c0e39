import type { Orchestrator } from '../orchestrator.js';

/** Every secret value of an app that is set, by name: what output and health details are redacted of. */
export async function appSecretValues(orch: Orchestrator, app: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of await orch.store.appSecrets.list(app)) {
    const value = await orch.secret(app, name);
    if (value !== null) values[name] = value;
  }
  return values;
}
