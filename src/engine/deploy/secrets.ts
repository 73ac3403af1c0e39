import { AutomatosError } from '../../core/index.js';
import type { Orchestrator } from '../orchestrator.js';

/** The clear values of an app's secrets; every missing one named at once, before anything runs. */
export async function secretValues(
  orch: Orchestrator,
  app: string,
  names: readonly string[],
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = await orch.secret(app, name);
    if (value === null) missing.push(name);
    else values[name] = value;
  }
  if (missing.length > 0) {
    throw new AutomatosError(
      'AUT_SECRET_MISSING',
      `${app} needs secrets that are not set: ${missing.join(', ')}. Set each with ` +
        `\`automatos secrets set ${app} NAME\` (the value is read from stdin).`,
      { details: { app, missing } },
    );
  }
  return values;
}
