import { parseOptions, optionValues, hasFlag } from './options.js';
import { RUNNERS, runner } from './runners.js';
import type { Word } from './types.js';
import {
  after,
  exec,
  joinWords,
  skipAssignments,
  STDIN_SHELL,
  STDIN_WORD,
  type Unwrapped,
} from './unwrapped.js';

export type { Unwrapped } from './unwrapped.js';
export { joinWords } from './unwrapped.js';

/**
 * Commands that run another command. The walker unwraps them so the rules see what really runs:
 * `sudo -u root env X=1 timeout 5 rm -rf /` is `rm -rf /`. A wrapper either runs an argv (`exec`),
 * runs a string through a shell (`code`, re-parsed by the walker), or runs nothing we can see.
 */

export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'yash',
  'fish',
  'csh',
  'tcsh',
  'rbash',
]);

/** Wrappers whose own name should not count as the command (strict allowlist, rules). */
export const WRAPPERS = new Set([
  'sudo',
  'doas',
  'env',
  'nice',
  'nohup',
  'timeout',
  'command',
  'exec',
  'builtin',
  'time',
  'stdbuf',
  'ionice',
  'chrt',
  'taskset',
  'setsid',
  'flock',
  'chroot',
  'runuser',
  'su',
  'watch',
  'busybox',
  'xargs',
  'eval',
  'ssh',
  'trap',
  'strace',
  'ltrace',
  'unshare',
  'nsenter',
  'systemd-run',
  'pkexec',
  'script',
  'npx',
  'pnpx',
  'bunx',
  'setpriv',
  'gosu',
  'su-exec',
  ...RUNNERS,
  ...SHELLS,
]);

/** `bash [opts] -c CODE`: the code word, or undefined when the shell runs a file or reads stdin. */
export function shellCode(args: readonly Word[]): Word | undefined {
  let cmode = false;
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i];
    if (!word) continue;
    const text = 'literal' in word ? word.literal : undefined;
    if (text === '--' || text === '-') {
      return cmode ? args[i + 1] : undefined;
    }
    if (text !== undefined && /^[-+][a-zA-Z]+$/.test(text)) {
      if (text.slice(1).includes('c')) cmode = true;
      if (/[oO]$/.test(text)) i += 1; // -o option / -O shopt take a value
      continue;
    }
    if (text !== undefined && text.startsWith('--')) {
      if (text === '--rcfile' || text === '--init-file') i += 1;
      continue;
    }
    return cmode ? word : undefined;
  }
  return undefined;
}

/** The argv or code a wrapper runs, or undefined when `name` is not a wrapper. */
export function unwrap(name: string, args: Word[]): Unwrapped | undefined {
  switch (name) {
    case 'sudo': {
      const { rest, parsed } = after(args, {
        short: 'ugpCrtUDRTh',
        long: [
          'user',
          'group',
          'prompt',
          'close-from',
          'role',
          'type',
          'other-user',
          'chdir',
          'chroot',
          'host',
          'command-timeout',
        ],
      });
      if (hasFlag(parsed, 'e', '--edit')) return exec([{ literal: 'sudoedit' }, ...rest]);
      // `sudo -E A=1 -- rm`: read the `--` as sudo's, so the command after it is judged.
      const assigned = skipAssignments(rest);
      const argv = literalText(assigned[0]) === '--' ? assigned.slice(1) : assigned;
      if (hasFlag(parsed, 'l', '--list', 'v', '--validate', 'k', 'K'))
        return argv.length ? exec(argv) : { kind: 'none' };
      // `sudo -s CMD` / `sudo -i CMD` run CMD through the target user's shell.
      if (hasFlag(parsed, 's', 'i', '--shell', '--login'))
        return argv.length ? { kind: 'code', code: joinWords(argv) } : STDIN_SHELL;
      const cwd = optionValues(parsed, '-D', '--chdir')[0];
      return exec(argv, cwd);
    }
    case 'doas': {
      const { rest, parsed } = after(args, { short: 'uCa' });
      const argv = skipAssignments(rest);
      if (hasFlag(parsed, 's')) return argv.length ? { kind: 'code', code: joinWords(argv) } : STDIN_SHELL;
      return exec(argv);
    }
    case 'setpriv': {
      const { rest, parsed } = after(args, {
        long: [
          'ruid',
          'euid',
          'reuid',
          'rgid',
          'egid',
          'regid',
          'groups',
          'inh-caps',
          'ambient-caps',
          'bounding-set',
          'securebits',
          'pdeathsig',
          'selinux-label',
          'apparmor-profile',
          'landlock-access',
          'landlock-rule',
        ],
      });
      return hasFlag(parsed, 'd', '--dump') ? { kind: 'none' } : exec(rest);
    }
    case 'gosu':
    case 'su-exec':
      // `gosu USER[:GROUP] CMD ARGS…`
      return exec(after(args, {}, 1).rest);
    case 'env': {
      const { rest, parsed } = after(args, {
        short: 'uCSP',
        long: ['unset', 'chdir', 'split-string', 'default-signal', 'ignore-signal', 'block-signal'],
      });
      const split = optionValues(parsed, '-S', '--split-string');
      if (split.length > 0) return { kind: 'code', code: joinWords([...split, ...rest]) };
      return exec(skipAssignments(rest), optionValues(parsed, '-C', '--chdir')[0]);
    }
    case 'nice':
      return exec(after(args, { short: 'n', long: ['adjustment'] }).rest);
    case 'nohup':
    case 'builtin':
    case 'busybox':
    case 'setsid':
      return exec(after(args, {}).rest);
    case 'timeout':
      return exec(after(args, { short: 'sk', long: ['signal', 'kill-after'] }, 1).rest);
    case 'command': {
      const { rest, parsed } = after(args, {});
      return hasFlag(parsed, 'v', 'V') ? { kind: 'none' } : exec(rest);
    }
    case 'exec':
      return exec(after(args, { short: 'a' }).rest);
    case 'time':
      return exec(after(args, { short: 'fo', long: ['format', 'output'] }).rest);
    case 'stdbuf':
      return exec(after(args, { short: 'ioe', long: ['input', 'output', 'error'] }).rest);
    case 'ionice': {
      const { rest, parsed } = after(args, {
        short: 'cnpPu',
        long: ['class', 'classdata', 'pid', 'pgid', 'uid'],
      });
      return hasFlag(parsed, 'p', 'P', 'u', '--pid', '--pgid', '--uid') ? { kind: 'none' } : exec(rest);
    }
    case 'chrt':
    case 'taskset': {
      const { rest, parsed } = after(args, { short: name === 'taskset' ? '' : 'TPD' });
      return hasFlag(parsed, 'p', '--pid') ? { kind: 'none' } : exec(rest.slice(1));
    }
    case 'chroot':
      return exec(after(args, { long: ['userspec', 'groups'] }, 1).rest);
    case 'flock': {
      const { rest, parsed } = after(
        args,
        { short: 'wEc', long: ['timeout', 'conflict-exit-code', 'command'] },
        1,
      );
      const code = optionValues(parsed, '-c', '--command')[0];
      if (code) return { kind: 'code', code };
      // `flock FILE -c CMD`: options may follow the lock file.
      const tail = parseOptions(rest, { short: 'wEc', long: ['timeout', 'conflict-exit-code', 'command'] });
      const tailCode = optionValues(tail, '-c', '--command')[0];
      return tailCode ? { kind: 'code', code: tailCode } : exec(rest);
    }
    case 'su':
    case 'runuser': {
      const parsed = parseOptions(args, {
        short: 'cgGsu',
        long: ['command', 'group', 'supp-group', 'shell', 'user', 'session-command'],
      });
      const code = optionValues(parsed, '-c', '--command', '--session-command')[0];
      if (code) return { kind: 'code', code };
      // After `--`, a `-c CODE` is handed to the shell: `su -- root -c 'rm -rf /'`.
      const dashC = parsed.operands.findIndex((w) => 'literal' in w && w.literal === '-c');
      const passed = dashC === -1 ? undefined : parsed.operands[dashC + 1];
      if (passed) return { kind: 'code', code: passed };
      if (name === 'runuser' && hasFlag(parsed, 'u', '--user')) return exec(parsed.operands);
      return STDIN_SHELL;
    }
    case 'watch':
      return {
        kind: 'code',
        code: joinWords(after(args, { short: 'nd', long: ['interval', 'differences'] }).rest),
      };
    case 'xargs': {
      const { rest } = after(args, {
        short: 'aEdILnPs',
        long: [
          'arg-file',
          'delimiter',
          'eof',
          'max-lines',
          'max-args',
          'max-procs',
          'max-chars',
          'process-slot-var',
        ],
      });
      // The arguments come from stdin: unknown words appended to the command (default `echo`).
      return exec([...(rest.length ? rest : [{ literal: 'echo' }]), STDIN_WORD]);
    }
    case 'eval':
      return args.length ? { kind: 'code', code: joinWords(args) } : { kind: 'none' };
    case 'ssh': {
      // `ssh HOST CMD…` runs CMD through the remote user's shell: judge it as if it ran here.
      const { rest } = after(args, { short: 'BbcDEeFIiJLlmOopQRSWw' });
      return rest.length > 1 ? { kind: 'code', code: joinWords(rest.slice(1)) } : { kind: 'none' };
    }
    case 'trap': {
      // `trap CODE SIGNAL…`: CODE runs later in this same shell. One operand, `-` or `''` resets.
      const { rest, parsed } = after(args, {});
      if (hasFlag(parsed, 'l', 'p') || rest.length < 2) return { kind: 'none' };
      const code = rest[0];
      if (!code || ('literal' in code && (code.literal === '-' || code.literal === '')))
        return { kind: 'none' };
      return { kind: 'code', code };
    }
    case 'strace': {
      const { rest } = after(args, {
        short: 'abeEIoOpPsSuUX',
        long: ['output', 'attach', 'expr', 'trace', 'signal', 'string-size', 'user', 'env', 'trace-path'],
      });
      return exec(rest);
    }
    case 'ltrace':
      return exec(after(args, { short: 'aADeFnopsuwxlL', long: ['output', 'library', 'config'] }).rest);
    case 'unshare': {
      const { rest, parsed } = after(args, {
        short: 'SGRw',
        long: ['setuid', 'setgid', 'root', 'wd', 'propagation', 'setgroups', 'map-user', 'map-group'],
      });
      return exec(rest, optionValues(parsed, '-w', '--wd')[0]);
    }
    case 'nsenter': {
      const { rest, parsed } = after(args, { short: 'tSG', long: ['target', 'setuid', 'setgid'] });
      return exec(rest, optionValues(parsed, '--wd')[0]);
    }
    case 'systemd-run': {
      const { rest, parsed } = after(args, {
        short: 'upEHM',
        long: [
          'unit',
          'property',
          'setenv',
          'host',
          'machine',
          'description',
          'slice',
          'uid',
          'gid',
          'nice',
          'working-directory',
          'service-type',
          'on-active',
          'on-boot',
          'on-startup',
          'on-unit-active',
          'on-unit-inactive',
          'on-calendar',
          'path-property',
          'socket-property',
          'timer-property',
        ],
      });
      return exec(rest, optionValues(parsed, '--working-directory')[0]);
    }
    case 'pkexec':
      return exec(after(args, { long: ['user'] }).rest);
    case 'script': {
      // `script -c CMD [FILE]` runs CMD through a shell; without -c it starts an interactive shell.
      const parsed = parseOptions(args, {
        short: 'cEIOBTm',
        long: ['command', 'echo', 'log-in', 'log-out', 'log-io', 'log-timing', 'logging-format'],
      });
      const code = optionValues(parsed, '-c', '--command')[0];
      return code ? { kind: 'code', code } : { kind: 'none' };
    }
    case 'npx':
    case 'pnpx':
    case 'bunx':
      return packageRunner(args);
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      // `npm exec|x …`, `pnpm dlx|exec …`, `yarn dlx|exec …`, `bun x …`: judge the bin they run.
      const sub = literalText(args[0]);
      const runs =
        name === 'npm'
          ? sub === 'exec' || sub === 'x'
          : name === 'bun'
            ? sub === 'x'
            : sub === 'dlx' || sub === 'exec';
      return runs ? packageRunner(args.slice(1)) : undefined;
    }
    default:
      if (SHELLS.has(name)) {
        const code = shellCode(args);
        return code ? { kind: 'code', code } : undefined;
      }
      return runner(name, args);
  }
}

/**
 * `npx [opts] [--] PKG[@VER] ARGS…`: the package's bin runs with ARGS; `-c CMD`/`--call CMD` runs CMD
 * through a shell. `-p PKG` only installs, the first operand is still the command.
 */
function packageRunner(args: Word[]): Unwrapped {
  const { rest, parsed } = after(args, {
    short: 'pcw',
    long: ['package', 'call', 'workspace', 'cache', 'registry', 'userconfig', 'prefix', 'filter'],
  });
  const code = optionValues(parsed, '-c', '--call')[0];
  if (code) return { kind: 'code', code };
  const [first, ...tail] = rest;
  if (!first) return { kind: 'none' };
  // `rimraf@5`, `@scope/pkg@1.2`: the version does not change what runs.
  const bin: Word =
    'literal' in first ? { ...first, literal: first.literal.replace(/(?<=.)@[^/@]*$/, '') } : first;
  return exec([bin, ...tail]);
}

function literalText(word: Word | undefined): string | undefined {
  return word && 'literal' in word ? word.literal : undefined;
}
