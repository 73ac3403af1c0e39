import { shellQuote } from '../core/index.js';
import { mountOps, type MountOp } from './mounts.js';
import { RUNTIME_DIRS } from './protected.js';
import {
  SANDBOX_REFUSED_EXIT,
  SANDBOX_UNAVAILABLE_EXIT,
  SANDBOX_UNAVAILABLE_MARK,
  type SandboxSpec,
} from './types.js';

/**
 * The shell every command Automatos did not build runs in, the one the policy parses: bash, or
 * POSIX sh on a host without bash, where the policy denies every construct whose meaning differs.
 */
export type UserShell = 'bash' | 'sh';
export const shellArgv = (shell: UserShell): string =>
  shell === 'bash' ? 'bash --noprofile --norc -c' : 'sh -c';

/** `/a//b/` as `/a/b`: the launcher compares a bind path with its physical form. */
export const normalizePath = (path: string): string => path.replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');

// Shell words for a path: `~` becomes the account's home (from the passwd database, never the
// caller's $HOME), glob segments stay unquoted so the host expands them.
const GLOB_SEGMENT = /^[A-Za-z0-9_.*-]+$/;
function pathWords(path: string): string {
  const normal = normalizePath(path);
  const home = normal === '~' || normal.startsWith('~/');
  const rest = home ? normal.slice(1) : normal;
  const segments = rest
    .split('/')
    .map((segment) =>
      segment.includes('*') && GLOB_SEGMENT.test(segment)
        ? segment
        : segment === ''
          ? ''
          : shellQuote(segment),
    );
  return `${home ? '"$_automatos_h"' : ''}${segments.join('/')}`;
}

function keepCase(op: MountOp): string {
  if (op.keep.length === 0) return '';
  return `case $_automatos_p in ${op.keep.map(shellQuote).join('|')}) continue ;; esac; `;
}

/**
 * bubblewrap resolves the source of a bind through symbolic links on the host and mounts on its
 * destination through the links inside the new root. A path a confined command could write (a
 * writable path inside another one, the env file and log dir inside shared/) must not lead through
 * a link it planted there, or the bind would expose any host path read-write: such a path is
 * refused when any of its components is a symbolic link.
 */
function bindLines(op: MountOp): string[] {
  const flag = op.kind === 'rw' ? '--bind' : '--ro-bind';
  return [
    `_automatos_p=${pathWords(op.path)}`,
    'if [ -e "$_automatos_p" ] || [ -L "$_automatos_p" ]; then ' +
      '_automatos_physical "$_automatos_p" || { ' +
      `echo "automatos-sandbox: refused: $_automatos_p leads through a symbolic link; bind its real location" >&2; exit ${SANDBOX_REFUSED_EXIT}; }; ` +
      `set -- "$@" ${flag} "$_automatos_p" "$_automatos_p"; fi`,
  ];
}

function mountLines(op: MountOp): string[] {
  if (op.kind !== 'mask') return bindLines(op);
  return [
    `for _automatos_p in ${pathWords(op.path)}; do [ -e "$_automatos_p" ] || continue; ${keepCase(op)}` +
      'if [ -d "$_automatos_p" ]; then set -- "$@" --tmpfs "$_automatos_p"; ' +
      'else set -- "$@" --ro-bind /dev/null "$_automatos_p"; fi; done',
  ];
}

// A masked directory is an empty tmpfs; made read-only once every deeper mount inside it is in place.
function remountLines(op: MountOp): string[] {
  if (op.kind !== 'mask') return [];
  return [
    `for _automatos_p in ${pathWords(op.path)}; do [ -d "$_automatos_p" ] || continue; ${keepCase(op)}` +
      'set -- "$@" --remount-ro "$_automatos_p"; done',
  ];
}

function unavailable(why: string): string {
  return `{ echo ${shellQuote(`${SANDBOX_UNAVAILABLE_MARK} ${why}`)} >&2; exit ${SANDBOX_UNAVAILABLE_EXIT}; }`;
}

/**
 * Shell functions and variables of the launcher:
 * - `_automatos_h`: the home of the account running it, from the passwd database (an `exec`
 *   request may set HOME, which must not move the masks of `~/.ssh` and `~/.automatos`);
 * - `_automatos_physical P`: is P its own physical path (no component a symbolic link)?
 */
const PRELUDE = [
  '_automatos_u=$(id -u)',
  '_automatos_h=$(getent passwd "$_automatos_u" 2>/dev/null)',
  'if [ -z "$_automatos_h" ] && [ -r /etc/passwd ]; then ' +
    'while IFS= read -r _automatos_l; do case $_automatos_l in *:*:"$_automatos_u":*) _automatos_h=$_automatos_l; break ;; esac; done </etc/passwd; fi',
  'if [ -n "$_automatos_h" ]; then _automatos_h=${_automatos_h#*:*:*:*:*:}; _automatos_h=${_automatos_h%%:*}; fi',
  // Only an account missing from the passwd database falls back to $HOME.
  '[ -n "$_automatos_h" ] || _automatos_h=${HOME:-/nonexistent}',
  '_automatos_physical() { ' +
    'if [ -d "$1" ] && [ ! -L "$1" ]; then [ "$(cd -P -- "$1" 2>/dev/null && pwd -P)" = "$1" ]; ' +
    'else _automatos_d=${1%/*}; [ -n "$_automatos_d" ] || _automatos_d=/; ' +
    '[ ! -L "$1" ] && [ "$(cd -P -- "$_automatos_d" 2>/dev/null && pwd -P)" = "$_automatos_d" ]; fi; }',
];

/**
 * Daemons' sockets live in /run: a confined command runs as the deploy user (root, often), so a
 * Docker, containerd, D-Bus, systemd or database socket there would let it act as that user
 * outside the sandbox. /run is an empty tmpfs inside; the file /etc/resolv.conf points to, when it
 * lives in /run (systemd-resolved, resolvconf), comes back read-only so names still resolve.
 */
function runtimeDirLines(): string[] {
  return [
    ...RUNTIME_DIRS.map((dir) => `if [ -d ${dir} ] && [ ! -L ${dir} ]; then set -- "$@" --tmpfs ${dir}; fi`),
    '_automatos_p=$(readlink -f /etc/resolv.conf 2>/dev/null)',
    `case $_automatos_p in ${RUNTIME_DIRS.map((dir) => `${dir}/*`).join('|')}) ` +
      '[ -f "$_automatos_p" ] && set -- "$@" --ro-bind "$_automatos_p" "$_automatos_p" ;; esac',
  ];
}
function runtimeRemountLines(): string[] {
  return RUNTIME_DIRS.map(
    (dir) => `if [ -d ${dir} ] && [ ! -L ${dir} ]; then set -- "$@" --remount-ro ${dir}; fi`,
  );
}

/**
 * POSIX sh that runs "$1" in bash inside bubblewrap: the whole filesystem read-only, the spec's
 * writable paths bound read-write, a private /tmp, /run emptied, the protected paths masked, a
 * read-only /proc (no sysctl such as kernel.core_pattern, which the kernel runs as root), its own
 * PID, IPC and UTS namespaces, every capability dropped and no new privileges (bubblewrap always
 * sets PR_SET_NO_NEW_PRIVS). The network stays: builds need their registries. Pure: a builder
 * returns this text and only the guarded executor sends it.
 */
export function sandboxLauncher(spec: SandboxSpec, shell: UserShell): string {
  const ops = mountOps(spec);
  // /run sits at depth 1: emptied before any deeper bind or mask (a writable path under /run).
  const [first, rest] = [
    ops.filter((op) => op.path.split('/').filter((p) => p !== '').length <= 1),
    ops.filter((op) => op.path.split('/').filter((p) => p !== '').length > 1),
  ];
  return [
    `command -v bwrap >/dev/null 2>&1 || ${unavailable('bubblewrap (bwrap) is not installed')}`,
    ...shellCheck(shell),
    '_automatos_c=$1',
    ...PRELUDE,
    'set --',
    ...first.flatMap(mountLines),
    ...runtimeDirLines(),
    ...rest.flatMap(mountLines),
    ...runtimeRemountLines(),
    ...ops.flatMap(remountLines),
    // Physical path: the cwd may lead through a symlink (`current`) that is not inside the sandbox.
    'cd -P . || exit 1',
    'set -- --ro-bind / / --dev /dev --proc /proc --remount-ro /proc --tmpfs /tmp "$@" ' +
      '--unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup-try ' +
      // A command with a deadline gets its own session: no terminal to push input into (TIOCSTI).
      // The app keeps its supervisor's session, whose process group the supervisor stops.
      `${spec.dieWithParent ? '--die-with-parent --new-session ' : ''}--cap-drop ALL --chdir "$PWD" ` +
      `${homeArgs(spec.home)} ` +
      `-- ${shellArgv(shell)} "$_automatos_c"`,
    'unset _automatos_c _automatos_p _automatos_h _automatos_u _automatos_l _automatos_d',
    'exec bwrap "$@"',
  ].join('\n');
}

// Under the private /tmp the dir is made inside; elsewhere it is the app's own (created by upload).
function homeArgs(home: string): string {
  const made = home === '/tmp' || home.startsWith('/tmp/') ? `--dir ${shellQuote(home)} ` : '';
  return `${made}--setenv HOME ${shellQuote(home)}`;
}

/** The same shell without the sandbox, on a target whose policy says `sandbox: off`. */
export function unconfinedLauncher(shell: UserShell): string {
  return [...shellCheck(shell), `exec ${shellArgv(shell)} "$1"`].join('\n');
}

// The policy judged the command for this shell: never fall back to another one silently.
function shellCheck(shell: UserShell): string[] {
  return shell === 'bash'
    ? [`command -v bash >/dev/null 2>&1 || ${unavailable('bash is not installed')}`]
    : [];
}

/** Text handed to `sh -c`: the command becomes "$1" of the launcher, never re-parsed by sh. */
export function launchWith(launcher: string, command: string): string {
  return `set -- ${shellQuote(command)}\n${launcher}`;
}
