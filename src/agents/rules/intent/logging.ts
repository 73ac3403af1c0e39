import type { LogLevel, Matcher } from './types.js';

const LEVEL = '(debug|info|warning|warn|error|critical)';

function level(raw: string | undefined): LogLevel {
  const word = (raw ?? 'info').toUpperCase();
  return word === 'WARN' ? 'WARNING' : (word as LogLevel);
}

function log(pattern: string, fixed?: LogLevel, debugMode = false): Matcher {
  return {
    pattern: new RegExp(pattern, 'gi'),
    read: (m) => ({ kind: 'logging', level: fixed ?? level(m[1]), debugMode }),
  };
}

/** Explicit levels first; a bare "logging" means the default level, INFO. */
export const LOGGING_MATCHERS: readonly Matcher[] = [
  log(String.raw`\blog(?:ging)?[- ]level\s+(?:of\s+|to\s+|=\s*|at\s+|is\s+)?${LEVEL}\b`),
  log(String.raw`\b(?:logging|logs?)\s+(?:at|on)\s+(?:the\s+)?${LEVEL}(?:\s+level)?\b`),
  log(String.raw`\b${LEVEL}[- ](?:level\s+)?(?:logging|logs?)\b`),
  log(String.raw`\bverbose(?:\s+(?:logging|logs?|output|mode))?\b`, 'DEBUG'),
  log(String.raw`\bdebug(?:ging)?\s+mode\b|\bdebug\b`, 'DEBUG', true),
  log(String.raw`\b(?:logging|logs)\b`, 'INFO'),
];
