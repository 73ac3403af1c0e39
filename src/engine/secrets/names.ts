import { z } from 'zod';
import { AutomatosError } from '../../core/index.js';
import { DNS_LABEL } from '../../manifest/index.js';

/**
 * App names as the manifest's `name`: a DNS label. An app's name becomes a directory
 * (`<root>/<app>/`), a unit and a container name, so nothing else may pass: no `/`, no `..`, no
 * control byte, no upper case.
 */
export const AppNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(DNS_LABEL, 'must be lowercase letters, digits and "-" (a DNS label)');

/**
 * Secret names as environment variable names (what the manifest's `secrets` lists and the env file
 * holds): a letter or `_`, then letters, digits and `_`.
 */
export const SecretNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (A-Z, a-z, 0-9, _)');

/** Secret values: what the API accepts is what the CLI accepts. */
export const SecretValueSchema = z.string().min(1, 'is empty').max(65_536, 'is longer than 64 KiB');

/** A name as it may be shown on one line: quoted, control bytes escaped, long ones cut. */
const shownName = (value: string): string =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** Checks one value against a schema; an AUT_INVALID_INPUT error naming the field otherwise. */
export function checkName(schema: z.ZodString, field: 'app' | 'secret', value: string): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new AutomatosError('AUT_INVALID_INPUT', `invalid ${field} name ${shownName(value)}: ${reason}`, {
    details: { field, reason },
  });
}

export const checkAppName = (app: string): string => checkName(AppNameSchema, 'app', app);

export const checkSecretName = (name: string): string => checkName(SecretNameSchema, 'secret', name);
