import type { RepoView } from './repo-view.js';
import { firstLine, matchLines, snippet, where } from './text.js';
import type { Sourced } from './types.js';

/**
 * Where a port was seen, strongest first. A port written into the command that will run is what
 * the app binds; a literal in code is next; `.env` beats a code default because the app reads
 * it (`process.env.PORT || 3000`); a Dockerfile EXPOSE documents intent; a framework convention
 * is only a guess. Within one kind the first hit in file order wins, so results are stable.
 */
export const PORT_KINDS = ['command', 'code', 'dotenv', 'env-default', 'dockerfile', 'convention'] as const;
export type PortKind = (typeof PORT_KINDS)[number];

export interface PortHint {
  kind: PortKind;
  port: number;
  source: string;
}

const COMMAND_PATTERNS: readonly RegExp[] = [
  /(?:^|\s)PORT=(\d{2,5})\b/,
  /--(?:server\.)?port[= ]+(\d{2,5})\b/,
  /(?:^|\s)-p\s+(\d{2,5})\b/,
  /(?:--bind|-b)[= ]+\S*:(\d{2,5})\b/,
  /(?:^|\s)(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]):(\d{2,5})\b/,
  /http\.server\s+(\d{2,5})\b/,
  /\$\{PORT:-(\d{2,5})\}/,
];

const ENV_DEFAULT_PATTERNS: readonly RegExp[] = [
  /process\.env\.PORT\)?\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/,
  /(?:environ\.get|getenv)\(\s*['"]PORT['"]\s*,\s*['"]?(\d{2,5})\b/,
  /ENV\.fetch\(\s*['"]PORT['"]\s*(?:,\s*|\)\s*\{\s*)['"]?(\d{2,5})\b/,
  /ENV\[['"]PORT['"]\]\s*\|\|\s*['"]?(\d{2,5})\b/,
  /\$\{PORT:-?(\d{2,5})\}/,
];

const CODE_PATTERNS: readonly RegExp[] = [
  /\.listen\(\s*['"]?(\d{2,5})\b/,
  /^\s*server\.port\s*[=:]\s*(\d{2,5})\s*$/,
  /(?<![\w.$])(?:port|PORT|Port)\s*[:=]\s*['"]?(\d{2,5})\b(?!\.\d)/,
  /(?:set|set!)\s*:port,\s*(\d{2,5})\b/,
  /["'](?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:(\d{2,5})["']/,
  /\(\s*["'][\w.:[\]]*["']\s*,\s*(\d{2,5})\s*\)\s*\)/,
];

/** Paths whose ports belong to tests, not to the running app. */
const TEST_PATH = /(^|\/)(tests?|spec|__tests__|e2e)\/|\.(test|spec)\.\w+$|_test\.go$|(^|\/)test_[^/]*\.py$/;

function valid(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65_535;
}

function firstPort(line: string, patterns: readonly RegExp[]): number | null {
  for (const pattern of patterns) {
    const n = Number(line.match(pattern)?.[1]);
    if (valid(n)) return n;
  }
  return null;
}

/** A port written into a command, e.g. `gunicorn --bind 0.0.0.0:8080`; `origin` names where the command came from. */
export function portFromCommand(command: string | null | undefined, origin: string): PortHint | null {
  if (!command) return null;
  const port = firstPort(command, COMMAND_PATTERNS);
  return port === null ? null : { kind: 'command', port, source: `${origin}: ${snippet(command)}` };
}

/**
 * The command with every literal `from` port that `portFromCommand` would read replaced by `to`, or
 * null when the command names no such port. Detection writes the port into the start commands it
 * generates, so a port chosen later (`--port`) has to be written there too.
 */
export function commandWithPort(command: string, from: number, to: number): string | null {
  const spans = new Map<number, number>();
  for (const pattern of COMMAND_PATTERNS) {
    for (const match of command.matchAll(new RegExp(pattern.source, `${pattern.flags}dg`))) {
      const span = match.indices?.[1];
      if (span !== undefined && Number(match[1]) === from) spans.set(span[0], span[1]);
    }
  }
  if (spans.size === 0) return null;
  return [...spans]
    .sort((a, b) => b[0] - a[0])
    .reduce((text, [start, end]) => `${text.slice(0, start)}${to}${text.slice(end)}`, command);
}

/** Port literals and env defaults in source files; entry files are scanned first. */
export function portsInCode(
  view: RepoView,
  opts: { extensions: readonly string[]; entryFiles?: readonly string[]; maxFiles?: number },
): PortHint[] {
  const walked = view.files({ extensions: opts.extensions, maxFiles: opts.maxFiles ?? 300 });
  const ordered = [...new Set([...(opts.entryFiles ?? []).filter((f) => view.exists(f)), ...walked])];
  const hints: PortHint[] = [];
  for (const file of ordered) {
    if (TEST_PATH.test(file)) continue;
    const text = view.readText(file);
    if (text === null) continue;
    text.split(/\r?\n/).forEach((line, index) => {
      if (/^\s*(#|\/\/)/.test(line)) return;
      const envDefault = firstPort(line, ENV_DEFAULT_PATTERNS);
      const literal = envDefault === null ? firstPort(line, CODE_PATTERNS) : null;
      const port = envDefault ?? literal;
      if (port === null) return;
      hints.push({
        kind: envDefault === null ? 'code' : 'env-default',
        port,
        source: `${where(file, index + 1)}: ${snippet(line)}`,
      });
    });
  }
  return hints;
}

export function dotenvPort(view: RepoView): PortHint | null {
  const text = view.readText('.env');
  const hit = text === null ? null : firstLine(text, /^\s*(?:export\s+)?PORT\s*=\s*['"]?(\d{2,5})['"]?\s*$/);
  const port = Number(hit?.match[1]);
  return hit && valid(port)
    ? { kind: 'dotenv', port, source: `${where('.env', hit.line)}: ${hit.text}` }
    : null;
}

export function dockerfilePort(view: RepoView): PortHint | null {
  const text = view.readText('Dockerfile');
  const hit = text === null ? null : (matchLines(text, /^\s*EXPOSE\s+(\d{2,5})\b/i)[0] ?? null);
  const port = Number(hit?.match[1]);
  return hit && valid(port)
    ? { kind: 'dockerfile', port, source: `${where('Dockerfile', hit.line)}: ${hit.text}` }
    : null;
}

export function conventionPort(port: number, what: string): PortHint {
  return { kind: 'convention', port, source: `convention: ${what} listens on ${port} by default` };
}

/** The strongest hint; ties keep the caller's order. */
export function choosePort(hints: readonly (PortHint | null)[]): Sourced<number> | null {
  let best: PortHint | null = null;
  for (const hint of hints) {
    if (hint && (!best || PORT_KINDS.indexOf(hint.kind) < PORT_KINDS.indexOf(best.kind))) best = hint;
  }
  return best ? { value: best.port, source: best.source } : null;
}

export interface InferPortOptions {
  /** Commands that will run, with where each came from (`package.json scripts.start`). */
  commands: readonly { command: string | null | undefined; origin: string }[];
  extensions: readonly string[];
  entryFiles?: readonly string[];
  convention?: { port: number; what: string } | null;
}

/** Every source a provider usually consults, in one call. */
export function inferPort(view: RepoView, opts: InferPortOptions): Sourced<number> | null {
  return choosePort([
    ...opts.commands.map((c) => portFromCommand(c.command, c.origin)),
    ...(opts.extensions.length > 0 ? portsInCode(view, opts) : []),
    dotenvPort(view),
    dockerfilePort(view),
    opts.convention ? conventionPort(opts.convention.port, opts.convention.what) : null,
  ]);
}
