import { REDACTED } from './sensitive.js';
import { matcherFor, SecretMatcher } from './secret-matcher.js';

export { MIN_SECRET_LENGTH } from './secret-matcher.js';

/**
 * Replaces every occurrence of each secret value — as typed, percent-encoded, hex or base64 (see
 * secret-forms.ts) — by [REDACTED]; overlapping occurrences vanish whole. One scan of the text;
 * the compiled matcher is cached for the list, so calling this per output chunk is cheap.
 */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  return matcherFor(secrets).redact(text);
}

const KEY_NAME = String.raw`[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|secret|secret[_-]?key|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret)`;

type Replacement = string | ((match: string, ...groups: string[]) => string);

const keepQuotes = (value: string): string => {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${quote}${REDACTED}${quote}`;
};

/** Patterns for credentials that are obvious from their shape, whatever their value. */
const PATTERNS: readonly [RegExp, Replacement][] = [
  // PEM private key blocks, also when cut off before the END line.
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\s\S]*?-----END \1PRIVATE KEY-----|[\s\S]*$)/g,
    `-----BEGIN $1PRIVATE KEY-----${REDACTED}-----END $1PRIVATE KEY-----`,
  ],
  // user:password@ in URLs: keep the user, hide the password (which may itself contain '@').
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^/\s]+@/gi, `$1:${REDACTED}@`],
  // Authorization headers: keep the scheme (Bearer, Basic, …), hide the credentials.
  [
    /\b(authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token|digest)\s+)?[^\s"',]+/gi,
    (_m, head = '', scheme) => (scheme ? `${head}${scheme} ${REDACTED}` : `${head}${REDACTED}`),
  ],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  // KEY=value, key: value, "key": "value", --password=value, where the key names a credential.
  [
    new RegExp(String.raw`\b(${KEY_NAME})(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&;,"']+)`, 'gi'),
    (_m, key = '', sep = '', value = '') => `${key}${sep}${keepQuotes(value)}`,
  ],
  // Well-known token shapes.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{30,}\b/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{20,}\b/g, REDACTED],
  // Command-line credentials: `curl -u user:pass`, `--user user:pass`, `--password pass`.
  [/(\s(?:-u|--user)\s+['"]?[^\s:'"]+:)[^\s'"]+/g, `$1${REDACTED}`],
  [
    /(\s--(?:password|passwd|pass|token|secret)\s+)(?!-)("[^"]*"|'[^']*'|\S+)/gi,
    (_m, head = '', value = '') => `${head}${keepQuotes(value)}`,
  ],
  // mysql-family `-pSECRET` (attached value; `-p` alone prompts).
  [/(\bmysql(?:dump|admin|import|show|check)?\b[^\n|;&]*?\s-p)(?!\s)(\S+)/g, `$1${REDACTED}`],
];

/** Redacts credentials recognizable by shape (PEM keys, password=…, Authorization, URL userinfo, tokens). */
export function redactCredentials(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) {
    out =
      typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

export type Redactor = (text: string) => string;

/** Known secret values first (in every encoded form), then the shape patterns. */
export function createRedactor(secrets: readonly string[] = []): Redactor {
  const matcher = new SecretMatcher(secrets);
  if (matcher.empty) return redactCredentials;
  return (text) => redactCredentials(matcher.redact(text));
}
