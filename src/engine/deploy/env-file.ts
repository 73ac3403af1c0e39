import type { AiModule } from '../../manifest/index.js';
import { shellQuote } from '../../plan/index.js';

/**
 * The app's env file: environment_variables, PORT, then secrets (a secret wins over a variable of
 * the same name). Values are shell-quoted because the process runtime sources the file with `.`;
 * systemd's EnvironmentFile reads the same quoting.
 */
export function renderEnvFile(module: AiModule, secrets: Readonly<Record<string, string>>): string {
  const values: Record<string, string> = {
    ...module.environment_variables,
    PORT: String(module.port),
    ...secrets,
  };
  return Object.keys(values)
    .sort()
    .map((name) => `${name}=${shellQuote(values[name] ?? '')}\n`)
    .join('');
}
