import { normalize, segmentRegex } from '../paths.js';
import { tarArgs } from '../exec-options.js';
import { parseOptions } from '../options.js';
import type { SimpleCommand, Word } from '../types.js';
import { commandName, commandPath, deny, lit, type CommandRule, type RuleContext } from './context.js';

/**
 * Reading secrets: password hashes, private SSH keys, root's home, process environments, plus the
 * paths a policy file adds. Entries ending in `/` deny the directory and everything under it.
 */
export const DEFAULT_READ_DENIED: readonly string[] = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/security/opasswd',
  '/etc/ssh/ssh_host_*_key',
  '/root/',
  '/home/*/.ssh/id_*',
  '/home/*/.ssh/*_key',
  '~/.ssh/id_*',
  // Another process's environment, root and cwd: `/proc/1/root/etc/shadow` is /etc/shadow.
  '/proc/*/environ',
  '/proc/*/root/',
  '/proc/*/cwd/',
  '/proc/*/task/*/environ',
  '/proc/*/task/*/root/',
  '/proc/*/task/*/cwd/',
];

/** Commands whose mention of a path is not a read of it. */
const NOT_READERS = new Set([
  'echo',
  'printf',
  'cd',
  'pushd',
  'test',
  '[',
  'which',
  'type',
  'command',
  // Builtins whose arguments are numbers, names or signals, never files.
  'exit',
  'return',
  'true',
  'false',
  'sleep',
  'kill',
  'wait',
  'shift',
  'umask',
  'ulimit',
  'set',
  'unset',
  'export',
  'trap',
  // These change or remove paths; the write and destroy rules judge them.
  'rm',
  'rmdir',
  'unlink',
  'shred',
  'ln',
  'touch',
  'mkdir',
  'chmod',
  'chown',
  'chgrp',
  'truncate',
  'tee',
]);
/** Commands that read whole trees when given a directory. */
const RECURSIVE = /^(tar|zip|7z|rsync|scp|cp|grep|rg|ag|base64|xxd|strings)$/;

const segs = (path: string): string[] => normalize(path).split('/').filter(Boolean);
const isGlob = (s: string): boolean => /[*?[]/.test(s);
const segRegex = segmentRegex;

/** Could two single segments (either may be a glob) name the same entry? */
function overlap(a: string, b: string): boolean {
  if (isGlob(a) && isGlob(b)) return true;
  if (isGlob(a)) return segRegex(a).test(b);
  if (isGlob(b)) return segRegex(b).test(a);
  return a === b;
}

/** Does reading `path` touch `denied`? `tree` readers also hit it through an ancestor directory. */
export function touchesDenied(path: string, denied: string, tree: boolean): boolean {
  const dir = denied.endsWith('/');
  const p = segs(path);
  const d = segs(denied);
  const n = Math.min(p.length, d.length);
  for (let i = 0; i < n; i += 1) if (!overlap(p[i] ?? '', d[i] ?? '')) return false;
  if (p.length === d.length) return true;
  if (p.length > d.length) return dir;
  return tree;
}

/**
 * What `tar` reads: in create mode each operand relative to the `-C` given before it (`tar -czf
 * out.tgz -C /etc hostname` reads /etc/hostname, not /etc), plus `-T` lists; otherwise the archive.
 */
function tarReads(cmd: SimpleCommand): Word[] {
  const args = tarArgs(cmd.args);
  const parsed = parseOptions(args, { short: 'fCbTXgKLNVIFH', long: ['file', 'directory', 'files-from'] });
  if (!['c', 'r', 'u', '--create', '--append', '--update'].some((f) => parsed.flags.has(f)))
    return parsed.values.get('-f') ?? parsed.values.get('--file') ?? [];
  const words: Word[] = [];
  let dir: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const text = lit(args[i]);
    const value = lit(args[i + 1]);
    if (text === '-C' || text === '--directory') {
      dir = value === undefined ? '\u0000' : value;
      i += 1;
    } else if (text?.startsWith('--directory=')) dir = text.slice(12);
    else if (text !== undefined && /^-[^-]*[fbTXgKLNVIFH]$/.test(text)) {
      if (/[TX]$/.test(text) && args[i + 1]) words.push(args[i + 1] as Word);
      i += 1;
    } else if (text === undefined || !text.startsWith('-')) {
      const word = args[i] as Word;
      // An operand after an unknown `-C` could be anywhere: judge it by its name alone.
      if (dir === undefined || text === undefined || text.startsWith('/')) words.push(word);
      else words.push({ literal: dir === '\u0000' ? text : `${dir}/${text}` });
    }
  }
  return words;
}

/**
 * The paths a word known only at run time could name, as globs (`/proc/$$/environ` →
 * `/proc/*` `/environ`, `"$f"` → each value f was given). A pattern that starts with an unknown part
 * could be anything and is left alone: denying every `cat "$F"` would deny every build.
 */
function couldBe(word: Word): Word[] {
  if (!('dynamic' in word)) return [];
  return (word.patterns ?? [])
    .filter((p) => !p.startsWith('*') && !p.startsWith('-'))
    .map((p) => ({ literal: p, glob: /[*?[]/.test(p) }));
}

function candidates(cmd: SimpleCommand): Word[] {
  if (commandName(cmd) === 'tar') return tarReads(cmd);
  const words: Word[] = [];
  for (const arg of cmd.args) {
    const text = lit(arg);
    if (text === undefined) {
      words.push(...couldBe(arg));
      continue;
    }
    // `--key=/path`, `if=/path`, `-F f=@/path`: the path after the last `=` or `@`.
    const embedded = /[=@]([/~][^=@]*)$/.exec(text)?.[1];
    if (embedded) words.push({ literal: embedded, tilde: embedded.startsWith('~') });
    else if (!text.startsWith('-')) words.push(arg);
  }
  for (const redirect of cmd.redirects)
    if (redirect.op === '<' || redirect.op === '<>') words.push(redirect.target);
  return words;
}

export const secretRead: CommandRule = (cmd, ctx: RuleContext) => {
  const name = commandName(cmd);
  if (NOT_READERS.has(name)) return undefined;
  // Extracting an archive reads the archive, not the directory it extracts into.
  const extracting = name === 'tar' && /^-?[a-zA-Z]*x/.test(lit(cmd.args[0]) ?? '');
  const tree = RECURSIVE.test(name) && !extracting;
  for (const word of candidates(cmd)) {
    const path = commandPath(word, cmd, ctx);
    if (path === undefined || path.endsWith('.pub')) continue;
    for (const denied of ctx.readDenied) {
      if (touchesDenied(path, denied, tree))
        return deny('secret_read', cmd, `${name} reads ${path}, a protected secret (${denied})`);
    }
  }
  return undefined;
};

export const secretRules: CommandRule[] = [secretRead];
