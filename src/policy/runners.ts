import { hasFlag, optionValues } from './options.js';
import type { Word } from './types.js';
import { after, exec, joinWords, skipAssignments, STDIN_WORD, type Unwrapped } from './unwrapped.js';

/**
 * Tools that run a command for a project or a session rather than for a user: `bundle exec`,
 * `poetry run`, `uv run`, `uvx`, `pipx run`, `cross-env`, GNU `parallel`, and the terminal
 * multiplexers `tmux` and `screen`, which start commands in panes or type text into them.
 */
export const RUNNERS = new Set([
  'bundle',
  'poetry',
  'uv',
  'uvx',
  'pipx',
  'cross-env',
  'cross-env-shell',
  'parallel',
  'tmux',
  'screen',
]);

const UV_RUN_VALUES = [
  'with',
  'with-editable',
  'with-requirements',
  'python',
  'extra',
  'group',
  'no-group',
  'only-group',
  'package',
  'env-file',
  'index',
  'default-index',
  'index-url',
  'extra-index-url',
  'find-links',
  'directory',
  'project',
  'config-file',
  'cache-dir',
  'index-strategy',
  'keyring-provider',
  'resolution',
  'prerelease',
  'refresh-package',
  'reinstall-package',
  'upgrade-package',
  'exclude-newer',
  'link-mode',
  'config-setting',
  'python-platform',
  'color',
  'allow-insecure-host',
  'from',
];

const lit = (word: Word | undefined): string | undefined =>
  word && 'literal' in word ? word.literal : undefined;

/** The argv after a subcommand word (`bundle exec …`), or undefined when `sub` is not the one given. */
function subcommand(
  args: Word[],
  subs: readonly string[],
  short = '',
  long: string[] = [],
): Word[] | undefined {
  const { rest } = after(args, { short, long });
  return subs.includes(lit(rest[0]) ?? '') ? rest.slice(1) : undefined;
}

export function runner(name: string, args: Word[]): Unwrapped | undefined {
  switch (name) {
    case 'bundle': {
      const argv = subcommand(args, ['exec', 'ex', 'e'], '', ['gemfile']);
      return argv ? exec(after(argv, { long: ['gemfile'] }).rest) : undefined;
    }
    case 'poetry': {
      const argv = subcommand(args, ['run'], 'CP', ['directory', 'project']);
      return argv ? exec(after(argv, {}).rest) : undefined;
    }
    case 'uv': {
      const tail = subcommand(args, ['run', 'tool'], 'p', [
        'directory',
        'project',
        'cache-dir',
        'config-file',
      ]);
      if (!tail) return undefined;
      // `uv tool run PKG` is uvx; `uv run` runs a command in the project's environment.
      const argv = lit(tail[0]) === 'run' ? tail.slice(1) : tail;
      const { rest, parsed } = after(argv, { short: 'pfC', long: UV_RUN_VALUES });
      // `uv run -m MODULE` runs `python -m MODULE`.
      if (hasFlag(parsed, 'm', '--module')) return exec([{ literal: 'python' }, { literal: '-m' }, ...rest]);
      return exec(rest);
    }
    case 'uvx':
      return exec(after(args, { short: 'p', long: UV_RUN_VALUES }).rest);
    case 'pipx': {
      const argv = subcommand(args, ['run']);
      return argv ? exec(after(argv, { long: ['spec', 'python', 'pip-args', 'index-url'] }).rest) : undefined;
    }
    case 'cross-env':
      return exec(skipAssignments(args));
    case 'cross-env-shell':
      return { kind: 'code', code: joinWords(skipAssignments(args)) };
    case 'parallel':
      return parallel(args);
    case 'tmux':
      return tmux(args);
    case 'screen':
      return screen(args);
    default:
      return undefined;
  }
}

const PARALLEL_VALUES = [
  'jobs',
  'arg-file',
  'delimiter',
  'eof',
  'max-args',
  'max-lines',
  'max-replace-args',
  'sshlogin',
  'joblog',
  'results',
  'tmpdir',
  'timeout',
  'delay',
  'env',
  'colsep',
  'workdir',
  'basefile',
  'return',
  'retries',
  'replace',
  'load',
  'memfree',
  'shebang-wrap',
  'tagstring',
  'block',
];
/** `{}`, `{.}`, `{/}`, `{//}`, `{/.}`, `{#}`, `{%}` and their positional forms `{2}`, `{2.}`…. */
const REPLACEMENT = /\{\d*(?:\.|\/|\/\/|\/\.|#|%)?\}/;

/**
 * GNU parallel runs its command through a shell once per argument, with `{}` (and `{.}`, `{/}`…)
 * replaced by it. Arguments after `:::` are known: each run is spelled out. Arguments from stdin
 * or a file are not: the command is judged with an unknown word in their place. With no command
 * at all, each argument is itself a command.
 */
function parallel(args: Word[]): Unwrapped {
  const sep = args.findIndex((w) => lit(w) === ':::' || lit(w) === ':::+');
  const head = sep === -1 ? args : args.slice(0, sep);
  const values = sep === -1 ? [] : args.slice(sep + 1).filter((w) => !/^:::/.test(lit(w) ?? ''));
  const { rest } = after(head, { short: 'jaEdnNLSIP', long: PARALLEL_VALUES });
  if (sep === -1) return exec([...rest, STDIN_WORD]);
  if (values.some((w) => lit(w) === undefined))
    return { kind: 'code', code: joinWords([...rest, ...values]) };
  const texts = values.map((w) => lit(w) ?? '');
  const command = rest.map((w) => lit(w));
  if (command.some((t) => t === undefined)) return { kind: 'code', code: joinWords(rest) };
  const template = command.join(' ');
  const runs =
    template === ''
      ? texts
      : texts.map((value) =>
          REPLACEMENT.test(template)
            ? template.replace(new RegExp(REPLACEMENT.source, 'g'), () => value)
            : `${template} ${value}`,
        );
  return { kind: 'code', code: { literal: runs.join('\n') } };
}

/** Keys `send-keys`/`stuff` turn into a line break (the typed command runs) or a space. */
const ENTER_KEYS = /^(Enter|C-m|C-j|KPEnter|\^M|\^J)$/;

/** Text typed into a shell by `tmux send-keys` or `screen -X stuff`: it runs as shell code. */
function typed(keys: readonly Word[]): Unwrapped {
  if (keys.some((w) => lit(w) === undefined)) return { kind: 'code', code: joinWords(keys) };
  const text = keys
    .map((w) => lit(w) ?? '')
    .map((k) => (ENTER_KEYS.test(k) ? '\n' : k === 'Space' ? ' ' : /^(C-|M-|\^)./.test(k) ? '\n' : k))
    .join('')
    .replace(/\\n|\r/g, '\n');
  return { kind: 'code', code: { literal: text } };
}

/**
 * `tmux [-L S] [-S P] [-f F] [-c SHELL-COMMAND] COMMAND [FLAGS] [SHELL-COMMAND]`. The commands that
 * start a process (new-session, new-window, split-window, respawn-*, run-shell, if-shell,
 * pipe-pane) take it as their last operand; send-keys types its keys into a pane's shell.
 */
function tmux(args: Word[]): Unwrapped {
  const { rest, parsed } = after(args, { short: 'LSfcT' });
  const direct = optionValues(parsed, '-c')[0];
  if (direct) return { kind: 'code', code: direct };
  const sub = lit(rest[0]) ?? '';
  const { rest: operands } = after(rest.slice(1), { short: 'tscnxyFeECN' });
  if (/^(send-keys|send)$/.test(sub)) return typed(operands);
  if (
    /^(new-session|new|new-window|neww|split-window|splitw|respawn-pane|respawnp|respawn-window|respawnw|run-shell|run|pipe-pane|pipep)$/.test(
      sub,
    )
  )
    return operands.length ? { kind: 'code', code: joinWords(operands) } : { kind: 'none' };
  // `if-shell [-bF] SHELL-COMMAND TMUX-COMMAND…`: the first operand runs through the shell.
  if (/^(if-shell|if)$/.test(sub) && operands[0]) return { kind: 'code', code: operands[0] };
  return { kind: 'none' };
}

/** `screen [opts] [CMD ARGS…]` runs CMD in a new window; `screen -X stuff TEXT` types TEXT into one. */
function screen(args: Word[]): Unwrapped {
  const { rest, parsed } = after(args, { short: 'SceEhpTt' });
  if (hasFlag(parsed, 'X', 'Q')) {
    const [command, ...operands] = rest;
    if (lit(command) === 'stuff') return typed(operands);
    if (lit(command) === 'exec' || lit(command) === 'screen') return exec(operands);
    return command && lit(command) === undefined ? { kind: 'code', code: joinWords(rest) } : { kind: 'none' };
  }
  return exec(rest);
}
