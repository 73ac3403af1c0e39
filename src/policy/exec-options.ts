import { hasFlag, optionValues, parseOptions } from './options.js';
import type { Word } from './types.js';

/**
 * Programs that run commands through one of their options rather than as a wrapped argv: `tar -I`,
 * `rsync -e`, `git -c core.pager=…`, `sed 'e …'`, `vim -c ':!…'`, `gdb -ex '!…'`. Shell strings
 * that are written out (`code`) are re-parsed and walked by the walker; anything that runs code the
 * policy cannot read, or that no deployment needs (`hidden`), is denied as `exec_via_option`.
 */
export interface OptionCode {
  /** Shell code the program runs, to be walked like `bash -c`. */
  codes: Word[];
  /** Why the program runs code that cannot be inspected (each entry is one reason). */
  hidden: string[];
}

const lit = (word: Word | undefined): string | undefined =>
  word && 'literal' in word ? word.literal : undefined;

const VIM = /^(vim?|nvim|ex|view|vimdiff|rvim|rview|gvim|evim|vimx)$/;

export function optionCode(name: string, args: readonly Word[]): OptionCode {
  const out: OptionCode = { codes: [], hidden: [] };
  if (name === 'tar') tar(args, out);
  else if (name === 'rsync') rsync(args, out);
  else if (name === 'sed' || name === 'gsed') sed(args, out);
  else if (name === 'git') git(args, out);
  else if (VIM.test(name)) vim(args, out);
  else if (name === 'gdb') gdb(args, out);
  return out;
}

/** `tar xIf CMD a.tar` (old-style bundle): each value letter takes the next argument in order. */
export function tarArgs(args: readonly Word[]): Word[] {
  const first = lit(args[0]);
  if (first === undefined || !/^[a-zA-Z]+$/.test(first)) return [...args];
  const out: Word[] = [];
  let next = 1;
  for (const letter of first) {
    out.push({ literal: `-${letter}` });
    if ('fCbTXgKLNVIFH'.includes(letter) && next < args.length) {
      const value = args[next];
      if (value) out.push(value);
      next += 1;
    }
  }
  return [...out, ...args.slice(next)];
}

/** Long option `--name` given in full or as a unique GNU abbreviation (`--use-comp`). */
function longMatches(flag: string, full: string, exact: readonly string[] = []): boolean {
  const name = flag.slice(2).split('=')[0] ?? '';
  if (exact.includes(name)) return false;
  return name.length >= 4 && full.startsWith(name);
}

/** Values of long options (`--x=V` or `--x V`) whose name matches; `--x` alone yields an empty word. */
function longValues(args: readonly Word[], test: (flag: string) => boolean): Word[] {
  const values: Word[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const text = lit(args[i]);
    if (text === '--') break;
    if (text === undefined || !text.startsWith('--') || !test(text)) continue;
    const eq = text.indexOf('=');
    if (eq !== -1) values.push({ literal: text.slice(eq + 1) });
    else values.push(args[i + 1] ?? { literal: '' });
  }
  return values;
}

function tar(raw: readonly Word[], out: OptionCode): void {
  const args = tarArgs(raw);
  const parsed = parseOptions(args, { short: 'fCbTXgKLNVIFH' });
  // GNU tar runs these through /bin/sh -c.
  out.codes.push(...optionValues(parsed, '-I'));
  out.codes.push(...longValues(args, (f) => longMatches(f, 'use-compress-program')));
  for (const value of longValues(args, (f) => longMatches(f, 'to-command'))) {
    out.codes.push(value);
    out.hidden.push('tar --to-command runs a command for every archive member');
  }
  for (const value of longValues(args, (f) => longMatches(f, 'checkpoint-action', ['checkpoint']))) {
    const text = lit(value);
    const exec = text === undefined ? undefined : /^exec=(.*)$/s.exec(text);
    if (text === undefined || exec) {
      if (exec?.[1] !== undefined) out.codes.push({ literal: exec[1] });
      out.hidden.push('tar --checkpoint-action=exec runs a command during the archive operation');
    }
  }
  for (const long of ['info-script', 'new-volume-script', 'rsh-command', 'rmt-command']) {
    if (longValues(args, (f) => longMatches(f, long)).length > 0)
      out.hidden.push(`tar --${long} runs a program the policy cannot read`);
  }
  if (optionValues(parsed, '-F').length > 0)
    out.hidden.push('tar -F runs a script at the end of each volume');
}

function rsync(args: readonly Word[], out: OptionCode): void {
  const parsed = parseOptions(args, {
    short: 'efT',
    long: ['rsh', 'rsync-path', 'exclude', 'include', 'filter'],
  });
  // `-e 'ssh -p 2222'` is ordinary: walk it as the command it is, with the remote host appended.
  for (const value of optionValues(parsed, '-e', '--rsh')) {
    // rsync splits the value itself (no shell): `-e "ssh -i $KEY"` is judged as `ssh -i $KEY`.
    const quoted = 'dynamic' in value ? /^"((?:[^"\\`]|\\.)*)"$/s.exec(value.text)?.[1] : undefined;
    const text = lit(value) ?? quoted;
    out.codes.push(text === undefined ? value : { literal: `${text} "$RSYNC_REMOTE_HOST"` });
  }
  // `--rsync-path='sudo rsync'` runs through the remote shell, like `ssh HOST CMD`.
  out.codes.push(...optionValues(parsed, '--rsync-path'));
}

function git(args: readonly Word[], out: OptionCode): void {
  // Global options come before the subcommand: `git -C dir -c k=v --config-env=k=ENV subcommand`.
  for (let i = 0; i < args.length; i += 1) {
    const text = lit(args[i]);
    if (text === undefined || !text.startsWith('-')) break;
    let setting: Word | undefined;
    let fromEnv = false;
    if (text === '-c') {
      setting = args[i + 1];
      i += 1;
    } else if (text.startsWith('-c') && text.length > 2) setting = { literal: text.slice(2) };
    else if (text === '--config-env') {
      setting = args[i + 1];
      fromEnv = true;
      i += 1;
    } else if (text.startsWith('--config-env=')) {
      setting = { literal: text.slice('--config-env='.length) };
      fromEnv = true;
    } else if (/^(-C|--git-dir|--work-tree|--namespace|--exec-path|--super-prefix)$/.test(text)) i += 1;
    if (!setting) continue;
    const value = lit(setting);
    if (value === undefined) {
      out.hidden.push('git -c with a setting known only at run time');
      continue;
    }
    const eq = value.indexOf('=');
    const key = (eq === -1 ? value : value.slice(0, eq)).toLowerCase();
    const val = eq === -1 ? '' : value.slice(eq + 1);
    if (!gitKeyRunsCode(key, val)) continue;
    out.hidden.push(`git -c ${key} makes git run a command`);
    if (!fromEnv && val !== '')
      out.codes.push({ literal: key.startsWith('alias.') ? val.replace(/^!/, '') : val });
  }
}

const GIT_COMMAND_KEYS =
  /^(core\.(pager|sshcommand|editor|askpass|gitproxy|hookspath|alternaterefscommand|fsmonitor)|sequence\.editor|diff\.external|diff\..+\.(textconv|command)|merge\..+\.driver|filter\..+\.(clean|smudge|process)|credential\.(.+\.)?helper|gpg\.(.+\.)?program|pager\..+|interactive\.difffilter|uploadpack\.packobjectshook|remote\..+\.(uploadpack|receivepack|vcs)|include\.path|includeif\..+\.path|(merge|diff)tool\..+\.(cmd|path)|sendemail\..+|browser\..+\.(cmd|path)|web\.browser|init\.templatedir|protocol\.(.+\.)?allow|ssh\.variant|core\.worktree|instaweb\..+|guitool\..+\.cmd|trace2\..+)$/;

function gitKeyRunsCode(key: string, value: string): boolean {
  if (key.startsWith('alias.')) return true;
  if (key === 'core.fsmonitor') return !/^(true|false|yes|no|on|off|0|1)?$/i.test(value);
  if (key === 'credential.helper' && value === '') return false;
  return GIT_COMMAND_KEYS.test(key);
}

/** Split a sed script the way GNU sed reads it, far enough to find `e` commands and `s///e`. */
export function sedExecs(script: string): { commands: string[]; opaque: boolean } {
  const commands: string[] = [];
  let i = 0;
  const n = script.length;
  const skipSpace = (): void => {
    while (i < n && /[\s;]/.test(script[i] ?? '')) i += 1;
  };
  const readDelimited = (delim: string): boolean => {
    // Reads up to an unescaped delimiter; returns false when the script ends first.
    while (i < n) {
      const ch = script[i] ?? '';
      if (ch === '\\') i += 2;
      else if (ch === delim) {
        i += 1;
        return true;
      } else if (ch === '\n' && delim !== '\n') return false;
      else i += 1;
    }
    return false;
  };
  const toEol = (): string => {
    const start = i;
    while (i < n && script[i] !== '\n') i += 1;
    return script.slice(start, i);
  };
  const address = (): boolean => {
    const ch = script[i] ?? '';
    if (/[0-9]/.test(ch)) {
      while (i < n && /[0-9~]/.test(script[i] ?? '')) i += 1;
    } else if (ch === '$') i += 1;
    else if (ch === '/' || ch === '\\') {
      const delim = ch === '\\' ? (script[i + 1] ?? '') : '/';
      i += ch === '\\' ? 2 : 1;
      if (!readDelimited(delim)) return false;
      while (i < n && /[IM]/.test(script[i] ?? '')) i += 1;
    } else if (ch === '+' || ch === '~') {
      i += 1;
      while (i < n && /[0-9]/.test(script[i] ?? '')) i += 1;
    }
    return true;
  };
  while (i < n) {
    skipSpace();
    if (i >= n) break;
    if (script[i] === '#') {
      toEol();
      continue;
    }
    if (!address()) return { commands, opaque: true };
    while (i < n && /[ \t]/.test(script[i] ?? '')) i += 1;
    if (script[i] === ',') {
      i += 1;
      while (i < n && /[ \t]/.test(script[i] ?? '')) i += 1;
      if (!address()) return { commands, opaque: true };
    }
    while (i < n && /[ \t!]/.test(script[i] ?? '')) i += 1;
    const cmd = script[i] ?? '';
    i += 1;
    if (cmd === '{' || cmd === '}' || cmd === '=' || /^[dDgGhHlnNpPqQxz]$/.test(cmd)) {
      while (i < n && /[0-9 \t]/.test(script[i] ?? '')) i += 1;
      continue;
    }
    if (cmd === 'e') {
      const text = toEol().trim();
      // A bare `e` runs the pattern space (file contents): nothing the policy can read.
      if (text === '') return { commands, opaque: true };
      commands.push(text);
      continue;
    }
    if (/^[aicrRwWbtTvLF:]$/.test(cmd)) {
      toEol();
      continue;
    }
    if (cmd === 's' || cmd === 'y') {
      const delim = script[i] ?? '';
      if (delim === '' || delim === '\n' || delim === '\\') return { commands, opaque: true };
      i += 1;
      if (!readDelimited(delim) || !readDelimited(delim)) return { commands, opaque: true };
      if (cmd === 'y') continue;
      const flagsStart = i;
      while (i < n && /[gpIiMm0-9e]/.test(script[i] ?? '')) i += 1;
      // The `e` flag runs the rewritten pattern space as a command.
      if (script.slice(flagsStart, i).includes('e')) return { commands, opaque: true };
      if (script[i] === 'w') toEol();
      continue;
    }
    // Anything else is not a GNU sed command we know: do not guess.
    return { commands, opaque: true };
  }
  return { commands, opaque: false };
}

function sed(args: readonly Word[], out: OptionCode): void {
  const parsed = parseOptions(args, { short: 'efl', long: ['expression', 'file', 'line-length'] });
  if (optionValues(parsed, '-f', '--file').length > 0 || hasFlag(parsed, '--file')) {
    out.hidden.push('sed -f runs a script file the policy cannot read (it may use `e`)');
    return;
  }
  const expressions = optionValues(parsed, '-e', '--expression');
  const scripts = expressions.length > 0 ? expressions : parsed.operands.slice(0, 1);
  for (const script of scripts) {
    // `sed -i "s/^PORT=.*/PORT=$PORT/"`: judge the script's shape with each expansion as one
    // placeholder character. (A value holding `/e` or a newline could still change it: see README.)
    const text =
      lit(script) ??
      ('dynamic' in script
        ? script.text
            .replace(/\$\{[^}]*\}|\$\([^)]*\)|`[^`]*`|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9#?@*$!-]/g, 'X')
            .replace(/['"]/g, '')
        : '');
    const { commands, opaque } = sedExecs(text);
    for (const command of commands) {
      out.codes.push({ literal: command });
      out.hidden.push('sed `e` runs a shell command');
    }
    if (opaque)
      out.hidden.push('sed script runs its pattern space as a command (`e`, `s///e`) or cannot be read');
  }
}

function vim(args: readonly Word[], out: OptionCode): void {
  for (let i = 0; i < args.length; i += 1) {
    const text = lit(args[i]);
    if (text === undefined) continue;
    let command: Word | undefined;
    if (text === '-c' || text === '--cmd') command = args[(i += 1)];
    else if (/^\+./.test(text) && !/^\+\d*$/.test(text)) command = { literal: text.slice(1) };
    else if (/^-[Ssu]$/.test(text)) {
      const file = lit(args[i + 1]);
      i += 1;
      if (text === '-u' && /^(NONE|NORC|DEFAULTS)$/.test(file ?? '')) continue;
      out.hidden.push(`${text} makes the editor run a script the policy cannot read`);
      continue;
    }
    if (!command) continue;
    const value = lit(command);
    const bang = value === undefined ? undefined : /^[\s:]*!(.*)$/s.exec(value)?.[1];
    if (bang !== undefined) out.codes.push({ literal: bang });
    out.hidden.push('the editor runs commands given on its command line');
  }
}

function gdb(args: readonly Word[], out: OptionCode): void {
  for (let i = 0; i < args.length; i += 1) {
    const text = lit(args[i]);
    if (text === undefined || !text.startsWith('-')) continue;
    const [flag = '', inline] = text.replace(/^--?/, '').split(/=(.*)/s);
    if (!/^(ex|iex|eval-command|init-eval-command|x|ix|command|init-command)$/.test(flag)) continue;
    const value = inline !== undefined ? { literal: inline } : args[(i += 1)];
    const command = lit(value);
    const shell = command === undefined ? undefined : /^\s*(?:!|shell\s)(.*)$/s.exec(command)?.[1];
    if (shell !== undefined) out.codes.push({ literal: shell });
    out.hidden.push('gdb runs debugger commands given on its command line');
  }
}
