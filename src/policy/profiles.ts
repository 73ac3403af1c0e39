import type { SimpleCommand } from './types.js';
import { nameOf } from './walk.js';

/**
 * The `strict` profile's default allowlist: what deployment steps run (package managers, builds,
 * file shuffling inside the release tree, service control of our own units, health probes). The
 * standard deny rules still apply on top, so `rm -rf /` stays denied although `rm` is listed.
 */
export interface AllowEntry {
  name: string;
  /** Extra constraint on the literal arguments (undefined = dynamic argument). */
  args?: (args: (string | undefined)[]) => boolean;
  note: string;
}

/** Wrappers that run a package's bin (unwrapped by the walker); the runner's listing covers the bin. */
const PACKAGE_RUNNERS = new Set(['npx', 'pnpx', 'bunx', 'npm', 'pnpm', 'yarn', 'bun']);
// `source`/`.` are not listed: a sourced file (or `. /dev/stdin`) runs code the allowlist never sees.

const OWN_UNIT = /^automatos-[A-Za-z0-9@._-]+$/;
const SYSTEMCTL_VERBS = new Set([
  'start',
  'stop',
  'restart',
  'reload',
  'try-restart',
  'enable',
  'disable',
  'status',
  'is-active',
  'is-enabled',
  'is-failed',
  'show',
  'cat',
  'reset-failed',
]);

function names(list: string, note: string): AllowEntry[] {
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((name) => ({ name, note }));
}

export const STRICT_ALLOWLIST: readonly AllowEntry[] = [
  ...names('git', 'source checkout'),
  ...names('npm npx pnpm yarn corepack node bun deno', 'JavaScript toolchain'),
  ...names('python python3 pip pip3 poetry uv uvicorn gunicorn virtualenv', 'Python toolchain'),
  ...names('go cargo rustc mvn mvnw gradle gradlew java bundle gem ruby rake make', 'other build toolchains'),
  ...names(
    'mkdir ln mv cp rm tar gzip gunzip unzip touch chmod readlink realpath mktemp dirname basename',
    'release tree files',
  ),
  ...names(
    'cd pwd echo printf true false test cat head tail grep sed sort wc ls sleep sha256sum env export',
    'shell basics',
  ),
  ...names('curl wget', 'downloads and health probes'),
  {
    name: 'apt-get',
    args: (a) => a[0] === 'update' || (a.includes('install') && a.every((x) => x !== undefined)),
    note: 'system packages',
  },
  {
    name: 'systemctl',
    args: (a) =>
      a[0] === 'daemon-reload' ||
      (SYSTEMCTL_VERBS.has(a[0] ?? '') && a.length > 1 && a.slice(1).every((u) => OWN_UNIT.test(u ?? ''))),
    note: 'automatos-* units only',
  },
];

/** Is the command on the allowlist? Nameless (redirection-only) commands are judged by the rules alone. */
export function isAllowlisted(cmd: SimpleCommand, extra: readonly AllowEntry[] = []): boolean {
  if ('literal' in cmd.name && cmd.name.literal === '') return true;
  // `npx prisma generate` was always allowed as `npx`; the deny rules now also see `prisma`.
  if (cmd.via.some((w) => PACKAGE_RUNNERS.has(w))) return true;
  const name = nameOf(cmd);
  const args = cmd.args.map((w) => ('literal' in w ? w.literal : undefined));
  const positional = args.filter((a) => a === undefined || !a.startsWith('-'));
  return [...STRICT_ALLOWLIST, ...extra].some(
    (entry) => entry.name === name && (!entry.args || entry.args(positional)),
  );
}
