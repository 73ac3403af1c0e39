import type { AuthType, Intent } from '../intent/index.js';
import { met, unmet, type Handler, type PlanContext } from './context.js';
import {
  AUTH_LIBRARIES,
  FEATURE_LIBRARIES,
  findLibrary,
  librariesFor,
  type LibraryHit,
} from './libraries.js';

type AuthIntent = Extract<Intent, { kind: 'auth' }>;
type FeatureIntent = Extract<Intent, { kind: 'feature' }>;

const AUTH_NAMES: Readonly<Record<AuthType, string>> = {
  basic: 'basic authentication',
  api_key: 'API key authentication',
  jwt: 'JWT authentication',
  oauth2: 'OAuth',
};

function authEvidence(intent: AuthIntent, ctx: PlanContext): { type: AuthType; hit: LibraryHit } | null {
  const types = intent.authType ? [intent.authType] : (Object.keys(AUTH_LIBRARIES) as AuthType[]);
  for (const type of types) {
    const hit = findLibrary(ctx.summary, librariesFor(AUTH_LIBRARIES[type], undefined).all);
    if (hit) return { type, hit };
  }
  return null;
}

/**
 * Automatos does not put authentication in front of an app, and `security.enable_auth` is a record,
 * not an enforcement. So the wish is met only when the app implements it (an auth library in its
 * dependencies), and only then does the manifest say auth is enabled: a manifest must not claim a
 * protection nobody provides. Otherwise it is unmet and the plan waits for the operator.
 */
export const handleAuth: Handler<AuthIntent> = (intent, ctx) => {
  const security = ctx.module.security ?? {};
  if (intent.negated) {
    ctx.module.security = { ...security, enable_auth: false };
    return met(intent.text, 'security.enable_auth: false');
  }
  const evidence = authEvidence(intent, ctx);
  const wanted = intent.authType ? AUTH_NAMES[intent.authType] : 'authentication';
  if (!evidence) {
    const language = ctx.base?.language;
    const looked = intent.authType
      ? librariesFor(AUTH_LIBRARIES[intent.authType], language).examples
      : [...new Set(Object.values(AUTH_LIBRARIES).flatMap((t) => librariesFor(t, language).examples))].slice(
          0,
          5,
        );
    return unmet(
      intent.text,
      `Automatos does not add ${wanted} to an app, and nothing in the repository implements it (no library such as ` +
        `${looked.join(', ')} in its dependency files). Add it to the app; security.enable_auth then records it.`,
    );
  }
  ctx.module.security = { ...security, enable_auth: true, auth_type: evidence.type };
  return met(
    intent.text,
    `security.enable_auth: true, auth_type: ${evidence.type} — implemented by the app (${evidence.hit.library} in ${evidence.hit.file}); ` +
      'recorded in the manifest, not enforced by Automatos',
  );
};

const FEATURE_FIELDS = { rate_limiting: 'rate_limiting', cors: 'cors_enabled' } as const;
const FEATURE_NAMES = { rate_limiting: 'rate limiting', cors: 'CORS headers' } as const;

/** Same rule as authentication: only the app can provide these, so only its code counts. */
export const handleFeature: Handler<FeatureIntent> = (intent, ctx) => {
  const field = FEATURE_FIELDS[intent.feature];
  if (intent.negated) {
    ctx.module.security = { ...(ctx.module.security ?? {}), [field]: false };
    return met(intent.text, `security.${field}: false`);
  }
  const libraries = librariesFor(FEATURE_LIBRARIES[intent.feature], ctx.base?.language);
  const hit = findLibrary(ctx.summary, libraries.all);
  if (!hit) {
    return unmet(
      intent.text,
      `Automatos does not add ${FEATURE_NAMES[intent.feature]} to an app, and nothing in the repository implements it ` +
        `(no library such as ${libraries.examples.join(', ')} in its dependency files)`,
    );
  }
  ctx.module.security = { ...(ctx.module.security ?? {}), [field]: true };
  return met(
    intent.text,
    `security.${field}: true — implemented by the app (${hit.library} in ${hit.file}); recorded, not enforced by Automatos`,
  );
};
