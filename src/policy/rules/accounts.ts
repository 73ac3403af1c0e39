import { parseOptions } from '../options.js';
import { classify, commandName, deny, lit, type CommandRule } from './context.js';

/** Users, groups, passwords, sudo rights, setuid bits and world-writable system paths. */

const ACCOUNT = new Set([
  'useradd',
  'userdel',
  'usermod',
  'adduser',
  'deluser',
  'groupadd',
  'groupdel',
  'groupmod',
  'addgroup',
  'delgroup',
  'passwd',
  'chpasswd',
  'chage',
  'gpasswd',
  'newusers',
  'vipw',
  'vigr',
  'chsh',
  'chfn',
  'pwconv',
  'grpconv',
  'newgrp',
]);

export const accounts: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if (name === 'visudo') {
    if (cmd.args.some((a) => lit(a) === '-c')) return undefined; // syntax check only
    return deny('sudoers_write', cmd, 'visudo edits sudo rights');
  }
  if (ACCOUNT.has(name)) return deny('account_change', cmd, `${name} changes accounts, groups or passwords`);
  return undefined;
};

/** An octal mode with setuid/setgid, or a symbolic mode adding `s`. */
export function setsUidGid(mode: string): boolean {
  if (/^[0-7]+$/.test(mode)) return mode.length >= 4 && /[2-7]/.test(mode[mode.length - 4] ?? '0');
  return mode.split(',').some((clause) => /^[ugoa]*[+=][rwxXtugo]*s/.test(clause));
}

export function worldWritable(mode: string): boolean {
  if (/^[0-7]+$/.test(mode)) return /[2367]/.test(mode[mode.length - 1] ?? '0');
  return mode.split(',').some((clause) => {
    const match = /^([ugoa]*)[+=]([rwxXst]*)$/.exec(clause);
    return match !== null && /[oa]/.test(match[1] ?? '') && (match[2] ?? '').includes('w');
  });
}

export const modes: CommandRule = (cmd, ctx) => {
  const name = commandName(cmd);
  if (name === 'setcap') return deny('setuid_chmod', cmd, 'setcap grants file capabilities');
  let mode: string | undefined;
  let files = cmd.args;
  if (name === 'chmod') {
    const parsed = parseOptions(cmd.args, { long: ['reference'] });
    // A leading `-w` style mode looks like an option: take the first non-flag word as the mode.
    const raw = cmd.args
      .map(lit)
      .find(
        (a) =>
          a !== undefined &&
          !/^--?[cfvR]+$|^--(recursive|changes|silent|quiet|verbose|reference=.*|preserve-root|no-preserve-root)$/.test(
            a,
          ),
      );
    mode = raw;
    files = parsed.operands.filter((w) => lit(w) !== raw);
  } else if (name === 'install') {
    const parsed = parseOptions(cmd.args, {
      short: 'mogtS',
      long: ['mode', 'owner', 'group', 'target-directory', 'suffix'],
    });
    const value = parsed.values.get('-m')?.[0] ?? parsed.values.get('--mode')?.[0];
    mode = value ? lit(value) : undefined;
    files = parsed.operands.slice(-1);
  } else return undefined;
  if (mode === undefined) return undefined;
  if (setsUidGid(mode)) return deny('setuid_chmod', cmd, `mode ${mode} sets the setuid/setgid bit`);
  if (worldWritable(mode)) {
    for (const file of files) {
      const { cls, path } = classify(file, cmd, ctx, false);
      if (cls === 'outside' || cls === 'unresolved')
        return deny('world_writable_system', cmd, `mode ${mode} makes ${path} world-writable`);
    }
  }
  return undefined;
};

export const accountRules: CommandRule[] = [accounts, modes];
