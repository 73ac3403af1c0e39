import { REDACTED } from '../../../security/index.js';
import { isSecretName } from '../../summary/index.js';
import type { Intent } from '../intent/index.js';
import { met, unmet, type Handler } from './context.js';

type EnvIntent = Extract<Intent, { kind: 'env' }>;

/**
 * Plain variables go into environment_variables. A secret-looking one (API_KEY, DB_PASSWORD) never
 * goes into the manifest in clear: its name is listed under `secrets`, so the deploy stops until
 * the operator stores the value encrypted, and the requirement says how.
 */
export const handleEnv: Handler<EnvIntent> = (intent, ctx) => {
  const env = { ...(ctx.module.environment_variables ?? {}) };
  if (intent.negated) {
    ctx.module.environment_variables = Object.fromEntries(
      Object.entries(env).filter(([name]) => name !== intent.name),
    );
    return met(intent.text, `environment_variables.${intent.name} is not set`);
  }
  if (isSecretName(intent.name)) {
    ctx.module.secrets = [...new Set([...(ctx.module.secrets ?? []), intent.name])];
    // The value came in the prompt; it must not come back out in the requirement either.
    const text = intent.value === '' ? intent.text : intent.text.split(intent.value).join(REDACTED);
    return unmet(
      text,
      `${intent.name} looks like a secret, so its value is not written into the manifest. Store it encrypted with ` +
        `\`automatos secrets set ${ctx.module.name} ${intent.name}\`; it is listed under secrets, so the deploy stops until it is set.`,
    );
  }
  env[intent.name] = intent.value;
  ctx.module.environment_variables = env;
  return met(intent.text, `environment_variables.${intent.name}: "${intent.value}"`);
};
