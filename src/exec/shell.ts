import { AutomatosError, shellQuote } from '../core/index.js';

export const quote = shellQuote;

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
