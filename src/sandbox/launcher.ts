import { shellQuote } from '../core/index.js';
import { mountOps, type MountOp } from './mounts.js';
import { SANDBOX_UNAVAILABLE_EXIT, SANDBOX_UNAVAILABLE_MARK, type SandboxSpec } from './types.js';

/**
 * The shell every command Automatos did not build runs in, the one the policy parses: bash, or
 * POSIX sh on a host without bash, where the policy denies every construct whose meaning differs.
 */
export type UserShell = 'bash' | 'sh';
export const shellArgv = (shell: UserShell): string =>
  shell === 'bash' ? 'bash --noprofile --norc -c' : 'sh -c';

// Shell words for a path: `~` becomes "$HOME", glob segments stay unquoted so the host expands them.
const GLOB_SEGMENT = /^[A-Za-z0-9_.*-]+$/;
function pathWords(path: string): string {
  const home = path === '~' || path.startsWith('~/');
  const rest = home ? path.slice(1) : path;
  const segments = rest
    .split('/')
    .map((segment) =>
      segment.includes('*') && GLOB_SEGMENT.test(segment)
        ? segment
        : segment === ''
          ? ''
          : shellQuote(segment),
    );
  return `${home ? '"$HOME"' : ''}${segments.join('/')}`;
}

function keepCase(op: MountOp): string {
  if (op.keep.length === 0) return '';
  return `case $_automatos_p in ${op.keep.map(shellQuote).join('|')}) continue ;; esac; `;
}

function mountLines(op: MountOp): string[] {
  const words = pathWords(op.path);
  if (op.kind === 'rw') return [`set -- "$@" --bind-try ${words} ${words}`];
  if (op.kind === 'ro') return [`set -- "$@" --ro-bind-try ${words} ${words}`];
  return [
    `for _automatos_p in ${words}; do [ -e "$_automatos_p" ] || continue; ${keepCase(op)}` +
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
 * POSIX sh that runs "$1" in bash inside bubblewrap: the whole filesystem read-only, the spec's
 * writable paths bound read-write, a private /tmp, the protected paths masked, its own PID, IPC and
 * UTS namespaces, every capability dropped and no new privileges (bubblewrap always sets
 * PR_SET_NO_NEW_PRIVS). The network stays: builds need their registries. Pure: a builder returns
 * this text and only the guarded executor sends it.
 */
export function sandboxLauncher(spec: SandboxSpec, shell: UserShell): string {
  const ops = mountOps(spec);
  return [
    `command -v bwrap >/dev/null 2>&1 || ${unavailable('bubblewrap (bwrap) is not installed')}`,
    ...shellCheck(shell),
    '_automatos_c=$1',
    'set --',
    ...ops.flatMap(mountLines),
    ...ops.flatMap(remountLines),
    // Physical path: the cwd may lead through a symlink (`current`) that is not inside the sandbox.
    'cd -P . || exit 1',
    'set -- --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp "$@" ' +
      '--unshare-pid --unshare-ipc --unshare-uts --unshare-cgroup-try ' +
      `${spec.dieWithParent ? '--die-with-parent ' : ''}--cap-drop ALL --chdir "$PWD" ` +
      `-- ${shellArgv(shell)} "$_automatos_c"`,
    'unset _automatos_c _automatos_p',
    'exec bwrap "$@"',
  ].join('\n');
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
