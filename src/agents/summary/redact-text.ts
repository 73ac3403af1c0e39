import { REDACTED, redactCredentials } from '../../security/index.js';

/** Name parts that mark a value as a credential: `DB_PASSWORD`, `authToken`, `stripe.secret`. */
const SECRET_PART =
  /^(password|passwd|pwd|pass|passphrase|secret|secrets|token|auth|credential|credentials|dsn|apikey|key|privatekey|accesskey)$/i;

/**
 * Judged by whole name parts, not substrings, so `author`, `authlib` or `tokenizers==0.15` (which
 * a planner needs to see) are kept while `API_KEY` and `npmAuthToken` are not.
 */
export function isSecretName(name: string): boolean {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_.-]+/)
    .some((part) => SECRET_PART.test(part));
}

const keepQuotes = (value: string): string => {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${quote}${REDACTED}${quote}`;
};

/** Dockerfile's space-separated form, `ENV DB_PASSWORD hunter2`. */
const DOCKER_ENV = /^(\s*(?:ENV|ARG)\s+)([A-Za-z_][\w.-]*)(\s+)(\S.*)$/gim;
/** `name = value`, `"name": "value"`, `NAME=value` in any manifest syntax. */
const ASSIGNMENT = /(["']?)([A-Za-z_][\w.-]*)\1(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;"']+)/g;
/** Long random-looking tokens: mixed case and digits, 40+ characters; package names never are. */
const RANDOM_TOKEN =
  /\b(?=[A-Za-z0-9_+-]*[a-z])(?=[A-Za-z0-9_+-]*[A-Z])(?=[A-Za-z0-9_+-]*\d)[A-Za-z0-9_+-]{40,}={0,2}/g;

/**
 * The shared credential patterns (PEM keys, URL passwords, Authorization headers, known token
 * shapes), then the shapes manifest files add: assignments to secret-named keys in any syntax and
 * long random tokens.
 */
export function redactText(text: string): string {
  return redactCredentials(text)
    .replace(DOCKER_ENV, (line, head: string, name: string, gap: string) =>
      isSecretName(name) ? `${head}${name}${gap}${REDACTED}` : line,
    )
    .replace(ASSIGNMENT, (match, quote: string, name: string, sep: string, value: string) =>
      isSecretName(name) && value !== REDACTED ? `${quote}${name}${quote}${sep}${keepQuotes(value)}` : match,
    )
    .replace(RANDOM_TOKEN, REDACTED);
}
