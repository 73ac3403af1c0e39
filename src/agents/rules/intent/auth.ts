import type { AppFeature, AuthType, Matcher } from './types.js';

const AUTH_WORD = String.raw`(?:\s+auth(?:entication|orization)?)?`;

function auth(authType: AuthType | null, pattern: string): Matcher {
  return { pattern: new RegExp(pattern, 'gi'), read: () => ({ kind: 'auth', authType }) };
}

function feature(name: AppFeature, pattern: RegExp): Matcher {
  return { pattern, read: () => ({ kind: 'feature', feature: name }) };
}

/** Typed wishes first, so "JWT authentication" is one jwt wish and not jwt plus a generic one. */
export const AUTH_MATCHERS: readonly Matcher[] = [
  auth(
    'basic',
    String.raw`\b(?:http\s+)?basic[- ]?auth(?:entication|orization)?\b|\b(?:username\s+(?:and|&|\/)\s+)?password[- ]protect(?:ed|ion)?\b`,
  ),
  auth('api_key', String.raw`\bapi[- ]?keys?${AUTH_WORD}\b`),
  auth('jwt', String.raw`\b(?:jwts?|json\s+web\s+tokens?|bearer\s+tokens?|token[- ]based)${AUTH_WORD}\b`),
  auth(
    'oauth2',
    String.raw`\b(?:oauth\s*2?(?:\.0)?|openid(?:\s+connect)?|oidc|sso|single\s+sign[- ]on|(?:log|sign)[- ]?in\s+with\s+(?:google|github|microsoft))${AUTH_WORD}\b`,
  ),
  auth(
    null,
    String.raw`\b(?:user\s+)?(?:auth(?:entication|orization)?|logins?|log-in|sign[- ]in|access\s+control)\b`,
  ),
];

export const FEATURE_MATCHERS: readonly Matcher[] = [
  feature('rate_limiting', /\brate[- ]?limit(?:ing|ed|s|er)?\b|\bthrottl(?:e|ed|ing)\b/gi),
  feature('cors', /\bcors\b|\bcross[- ]origin(?:\s+requests?)?\b/gi),
];
