import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The global data dir: `--data-dir` wins over `AUTOMATOS_HOME`, which wins over `~/.automatos`. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  const fromEnv = env['AUTOMATOS_HOME'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return join(homedir(), '.automatos');
}
