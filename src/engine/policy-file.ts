import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { configFromFile, formatIssue, readPolicyFile } from '../policy/index.js';
import type { PolicyConfig } from '../policy/index.js';

export const POLICY_FILE = 'policy.yaml';
export const POLICY_FILE_ENV = 'AUTOMATOS_POLICY_FILE';

/**
 * The operator's custom policy: `AUTOMATOS_POLICY_FILE`, else `DATA_DIR/policy.yaml` when it exists,
 * else the built-in rules alone. An invalid file stops everything: running with a policy other than
 * the one the operator wrote would be worse than not running.
 */
export async function loadPolicyConfig(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  explicit?: string,
): Promise<PolicyConfig> {
  const fromEnv = env[POLICY_FILE_ENV];
  const path = explicit ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(dataDir, POLICY_FILE));
  if (explicit === undefined && (fromEnv === undefined || fromEnv === '') && !existsSync(path)) return {};
  const loaded = await readPolicyFile(path);
  if (loaded.value === undefined) {
    throw new AutomatosError(
      'AUT_POLICY_INVALID',
      `${path} is not a valid policy file:\n${loaded.errors.map(formatIssue).join('\n')}`,
      { details: { file: path } },
    );
  }
  return configFromFile(loaded.value);
}
