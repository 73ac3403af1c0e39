import type { AiModule } from '../../manifest/index.js';

/**
 * Double quotes with `\ " $` and backquote escaped read the same in a POSIX shell (`. file`, the
 * process runtime) and in systemd's EnvironmentFile; single-quote escaping (`'\''`) does not.
 */
export function envFileQuote(value: string): string {
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

/**
 * The app's env file: environment_variables, PORT, then secrets (a secret wins over a variable of
 * the same name).
 */
export function renderEnvFile(module: AiModule, secrets: Readonly<Record<string, string>>): string {
  const values: Record<string, string> = {
    ...module.environment_variables,
    PORT: String(module.port),
    ...secrets,
  };
  return Object.keys(values)
    .sort()
    .map((name) => `${name}=${envFileQuote(values[name] ?? '')}\n`)
    .join('');
}
