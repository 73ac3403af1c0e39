import { AutomatosError } from '../core/index.js';

// Words made only of these characters mean the same to every POSIX shell unquoted.
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one word for a POSIX shell so the host sees exactly this string. */
export function quote(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rejects names a shell could not export; the error names the variable, never its value. */
export function checkEnv(env: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new AutomatosError(
        'AUT_EXEC_INVALID',
        `Invalid environment variable name ${JSON.stringify(name)}`,
        {
          details: { name },
        },
      );
    }
    if (typeof value !== 'string' || value.includes('\0')) {
      throw new AutomatosError(
        'AUT_EXEC_INVALID',
        `Environment variable ${name} must be a string without NUL`,
        {
          details: { name },
        },
      );
    }
  }
}
