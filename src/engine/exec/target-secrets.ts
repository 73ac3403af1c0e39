import { appSecretValues } from '../deploy/app-secrets.js';
import type { Orchestrator } from '../orchestrator.js';

/** The apps with a release on this target (any status: a failed release's files are still there). */
export async function appsOnTarget(orch: Orchestrator, target: string): Promise<string[]> {
  const apps = await orch.store.apps.list();
  const on: string[] = [];
  for (const app of apps) {
    if ((await orch.store.apps.releases.list(app.name, target)).length > 0) on.push(app.name);
  }
  return on;
}

/**
 * The clear values of every secret of every app deployed on the target: what a command run there
 * can read (the apps' env files, their processes' environment) and so what its output, and the
 * command as recorded, are redacted of.
 */
export async function targetSecretValues(orch: Orchestrator, target: string): Promise<string[]> {
  const values = new Set<string>();
  for (const app of await appsOnTarget(orch, target)) {
    for (const value of Object.values(await appSecretValues(orch, app))) values.add(value);
  }
  return [...values];
}
