import type { Language } from '../../../detect/index.js';
import type { RepoSummary } from '../../repo-summary.js';
import type { AppFeature, AuthType } from '../intent/index.js';

type ByLanguage = Partial<Record<Language, readonly string[]>>;

/**
 * Libraries whose presence in a dependency file shows the app implements a feature itself. The
 * orchestrator cannot add authentication or rate limiting to an app, so this is the only evidence
 * the rules planner accepts for calling such a wish met.
 */
export const AUTH_LIBRARIES: Readonly<Record<AuthType, ByLanguage>> = {
  basic: {
    python: ['flask-httpauth', 'flask-basicauth'],
    node: ['express-basic-auth', 'basic-auth', 'passport-http', 'koa-basic-auth', '@fastify/basic-auth'],
  },
  api_key: {
    python: ['flask-httpauth', 'djangorestframework-api-key'],
    node: ['passport-headerapikey', '@fastify/bearer-auth'],
  },
  jwt: {
    python: ['pyjwt', 'flask-jwt-extended', 'python-jose', 'djangorestframework-simplejwt'],
    node: ['jsonwebtoken', 'express-jwt', 'passport-jwt', '@fastify/jwt'],
    go: ['github.com/golang-jwt/jwt'],
    php: ['firebase/php-jwt', 'tymon/jwt-auth'],
  },
  oauth2: {
    python: ['authlib', 'flask-dance', 'social-auth-app-django', 'django-allauth', 'requests-oauthlib'],
    node: ['passport-oauth2', 'passport-google-oauth20', 'next-auth'],
    ruby: ['omniauth'],
    go: ['golang.org/x/oauth2'],
    php: ['laravel/socialite'],
  },
};

export const FEATURE_LIBRARIES: Readonly<Record<AppFeature, ByLanguage>> = {
  rate_limiting: {
    python: ['flask-limiter', 'slowapi', 'django-ratelimit'],
    node: ['express-rate-limit', '@fastify/rate-limit'],
    ruby: ['rack-attack'],
  },
  cors: {
    python: ['flask-cors', 'django-cors-headers'],
    node: ['cors', '@fastify/cors'],
    ruby: ['rack-cors'],
    go: ['github.com/rs/cors'],
  },
};

/** The names to look for, and a few to mention when none is found (the app's own language first). */
export function librariesFor(
  table: ByLanguage,
  language: Language | undefined,
): { all: string[]; examples: string[] } {
  const all = [...new Set(Object.values(table).flat())];
  const own = language === undefined ? undefined : table[language];
  return { all, examples: (own ?? all).slice(0, 5) };
}

/** Manifests that declare dependencies (not Dockerfile, Procfile or version pins). */
const DEPENDENCY_FILE =
  /(^|\/)(package\.json|pyproject\.toml|Pipfile|setup\.cfg|setup\.py|go\.mod|Cargo\.toml|Gemfile|composer\.json|pom\.xml|build\.gradle(\.kts)?|requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export interface LibraryHit {
  library: string;
  file: string;
}

/** The first of `libraries` declared in one of the repository's dependency files. */
export function findLibrary(summary: RepoSummary, libraries: readonly string[]): LibraryHit | null {
  for (const [file, text] of Object.entries(summary.manifests)) {
    if (!DEPENDENCY_FILE.test(file)) continue;
    for (const library of libraries) {
      // Whole names only (`cors` is not `@fastify/cors` or `corsair`); Python spells `-` as `_` too.
      const name = escape(library).replace(/-/g, '[-_]');
      if (new RegExp(`(?<![\\w@/.-])${name}(?![\\w/-])`, 'i').test(text)) return { library, file };
    }
  }
  return null;
}
