import type { IntentData, Matcher } from './types.js';

const VALUE = String.raw`("[^"]*"|'[^']*'|[^\s,;]+)`;

function unquote(raw: string): string {
  const quoted = /^(["']).*\1$/.test(raw);
  // An unquoted value at the end of a sentence ("set DEBUG=1.") does not own the full stop.
  return quoted ? raw.slice(1, -1) : raw.replace(/\.$/, '');
}

/** `PORT=5000` is a port wish: it is the manifest's `port`, not an extra variable. */
function envOrPort(name: string, raw: string): IntentData {
  const value = unquote(raw);
  if (name.toUpperCase() === 'PORT' && /^\d{1,6}$/.test(value)) return { kind: 'port', port: Number(value) };
  return { kind: 'env', name, value };
}

const read = (m: RegExpExecArray): IntentData | null =>
  m[1] !== undefined && m[2] !== undefined ? envOrPort(m[1], m[2]) : null;

/**
 * Explicit variables. With "environment variable" before it any name is taken; otherwise only
 * UPPER_CASE names, so "set the port to 5000" or "x=y" in prose are not read as variables.
 */
export const ENV_MATCHERS: readonly Matcher[] = [
  {
    pattern: new RegExp(
      String.raw`\b(?:env(?:ironment)?(?:\s+var(?:iable)?s?)?|variables?)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|\s+to\s+|\s+as\s+)\s*${VALUE}`,
      'gi',
    ),
    read,
  },
  { pattern: new RegExp(String.raw`\bset\s+([A-Z_][A-Z0-9_]*)\s*(?:=|\s+to\s+)\s*${VALUE}`, 'g'), read },
  { pattern: new RegExp(String.raw`\b([A-Z_][A-Z0-9_]*)=${VALUE}`, 'g'), read },
];
