import { hasFlag, optionValues, parseOptions, type OptionSpec } from '../options.js';
import type { Finding, SimpleCommand, Word } from '../types.js';
import { classify, commandName, deny, lit, type CommandRule, type RuleContext } from './context.js';
import { specialPathRule } from './special-paths.js';

/**
 * Writes must land inside the writable roots: redirections, tee, the destination of cp/mv/ln/install/
 * rsync/scp, files edited in place, mode and owner changes, downloads, archive extraction.
 */

type Targets = (cmd: SimpleCommand) => Word[];

const CWD: Word = { literal: '.' };

function withOptions(spec: OptionSpec, pick: (parsed: ReturnType<typeof parseOptions>) => Word[]): Targets {
  return (cmd) => pick(parseOptions(cmd.args, spec));
}

/** cp/mv/install/ln: `-t DIR`, else the last operand when there are two or more. */
const destination = (short: string, long: string[]): Targets =>
  withOptions({ short: `t${short}`, long: ['target-directory', ...long] }, (p) => {
    const target = optionValues(p, '-t', '--target-directory');
    if (target.length > 0) return target;
    if (hasFlag(p, 'd', '--directory') && short.includes('m')) return p.operands; // install -d DIRS
    return p.operands.length >= 2 ? p.operands.slice(-1) : p.operands.length === 1 ? [CWD] : [];
  });

/** All operands but the first (a mode, owner or script). */
const afterFirst = (spec: OptionSpec): Targets => withOptions(spec, (p) => p.operands.slice(1));

const TARGETS: Record<string, Targets> = {
  tee: withOptions({}, (p) => p.operands),
  cp: destination('S', ['suffix']),
  mv: destination('S', ['suffix']),
  install: destination('mogS', ['mode', 'owner', 'group', 'suffix']),
  ln: destination('S', ['suffix']),
  rsync: withOptions({ short: 'efT', long: ['exclude', 'include', 'filter', 'rsh', 'temp-dir'] }, (p) =>
    p.operands.slice(-1).filter((w) => !lit(w)?.includes(':')),
  ),
  scp: withOptions({ short: 'cFiJloPS' }, (p) => p.operands.slice(-1).filter((w) => !lit(w)?.includes(':'))),
  sed: (cmd) => {
    const p = parseOptions(cmd.args, { short: 'efl', long: ['expression', 'file', 'line-length'] });
    if (!hasFlag(p, 'i', '--in-place') && !cmd.args.some((a) => /^-[a-zA-Z]*i/.test(lit(a) ?? ''))) return [];
    const scripted = optionValues(p, '-e', '--expression', '-f', '--file').length > 0;
    return scripted ? p.operands : p.operands.slice(1);
  },
  perl: (cmd) =>
    cmd.args.some((a) => /^-[a-zA-Z]*i/.test(lit(a) ?? ''))
      ? parseOptions(cmd.args, { short: 'eEMmI' }).operands
      : [],
  truncate: withOptions({ short: 'sro', long: ['size', 'reference'] }, (p) => p.operands),
  chmod: afterFirst({ long: ['reference'] }),
  chown: afterFirst({ long: ['reference', 'from'] }),
  chgrp: afterFirst({ long: ['reference'] }),
  chattr: (cmd) => cmd.args.filter((a) => !/^[-+=]/.test(lit(a) ?? '')).slice(0),
  setfacl: withOptions({ short: 'mMxX', long: ['modify', 'remove', 'set', 'set-file'] }, (p) => p.operands),
  touch: withOptions({ short: 'rdt', long: ['reference', 'date'] }, (p) => p.operands),
  mkdir: withOptions({ short: 'mZ', long: ['mode', 'context'] }, (p) => p.operands),
  mkfifo: withOptions({ short: 'mZ', long: ['mode'] }, (p) => p.operands),
  mknod: withOptions({ short: 'mZ', long: ['mode'] }, (p) => p.operands.slice(0, 1)),
  dd: (cmd) =>
    cmd.args.flatMap((a) => (lit(a)?.startsWith('of=') ? [{ literal: (lit(a) ?? '').slice(3) }] : [])),
  sort: withOptions({ short: 'otkS', long: ['output', 'key', 'field-separator', 'buffer-size'] }, (p) =>
    optionValues(p, '-o', '--output'),
  ),
  sudoedit: withOptions({}, (p) => p.operands),
  tar: (cmd) => {
    // Old-style bundles (`tar xzf a.tgz`) read like `-xzf a.tgz`.
    const args = cmd.args.map((a, i) =>
      i === 0 && /^[a-zA-Z]+$/.test(lit(a) ?? '') ? { literal: `-${lit(a) ?? ''}` } : a,
    );
    const p = parseOptions(args, {
      short: 'fCbTXgKLNV',
      long: ['file', 'directory', 'exclude', 'files-from', 'transform'],
    });
    if (hasFlag(p, 'x', '--extract', '--get')) return [optionValues(p, '-C', '--directory')[0] ?? CWD];
    if (hasFlag(p, 'c', 'r', 'u', '--create', '--append', '--update'))
      return optionValues(p, '-f', '--file').filter((w) => lit(w) !== '-');
    return [];
  },
  unzip: withOptions({ short: 'dxP' }, (p) => [optionValues(p, '-d')[0] ?? CWD]),
  curl: withOptions(
    {
      short: 'oDcdHuXAeTEKwmbrFy',
      long: [
        'output',
        'dump-header',
        'cookie-jar',
        'output-dir',
        'data',
        'header',
        'user',
        'request',
        'config',
        'upload-file',
        'trace',
        'trace-ascii',
        'stderr',
      ],
    },
    (p) => {
      const dir = optionValues(p, '--output-dir')[0];
      const files = optionValues(
        p,
        '-o',
        '--output',
        '-D',
        '--dump-header',
        '-c',
        '--cookie-jar',
        '--trace',
        '--trace-ascii',
        '--stderr',
      );
      const out = files.filter((w) => lit(w) !== '-');
      if (hasFlag(p, 'O', '--remote-name', 'J')) out.push(dir ?? CWD);
      return out;
    },
  ),
  wget: withOptions(
    {
      short: 'OPoaeiBtTwUQ',
      long: ['output-document', 'directory-prefix', 'output-file', 'append-output', 'input-file'],
    },
    (p) => {
      const doc = optionValues(p, '-O', '--output-document').filter((w) => lit(w) !== '-');
      const logs = optionValues(p, '-o', '--output-file', '-a', '--append-output');
      if (doc.length > 0) return [...doc, ...logs];
      const streamed = optionValues(p, '-O', '--output-document').length > 0;
      return [...(streamed ? [] : [optionValues(p, '-P', '--directory-prefix')[0] ?? CWD]), ...logs];
    },
  ),
  git: (cmd) => {
    const p = parseOptions(cmd.args, {
      short: 'bCcjo',
      long: ['branch', 'depth', 'origin', 'config', 'reference', 'separate-git-dir', 'filter', 'template'],
    });
    if (lit(p.operands[0]) !== 'clone') return [];
    return p.operands.length >= 3 ? p.operands.slice(2, 3) : [CWD];
  },
  find: (cmd) =>
    cmd.args.flatMap((a, i) =>
      /^-f(print0?|printf|ls)$/.test(lit(a) ?? '') && cmd.args[i + 1] ? [cmd.args[i + 1] as Word] : [],
    ),
};

const WRITE_REDIRECT = /^(>|>>|>\||&>|&>>|<>|>&)$/;

function judge(path: string, cmd: SimpleCommand, verb: string): Finding {
  const special = specialPathRule(path);
  if (special) return deny(special.rule, cmd, `${verb} ${path} (${special.what})`);
  return deny('write_outside_roots', cmd, `${verb} ${path}, outside the writable roots`);
}

function check(
  targets: readonly Word[],
  cmd: SimpleCommand,
  ctx: RuleContext,
  verb: string,
): Finding | undefined {
  for (const target of targets) {
    const { cls, path } = classify(target, cmd, ctx, false);
    if (cls === 'outside' || cls === 'device') return judge(path, cmd, verb);
    if (cls === 'unresolved')
      return deny('unresolved_path', cmd, `${verb} ${path}, whose value is known only at run time`);
  }
  return undefined;
}

export const redirectWrites: CommandRule = (cmd, ctx) => {
  const targets = cmd.redirects
    .filter((r) => WRITE_REDIRECT.test(r.op))
    // `2>&1`, `>&2`, `>&-`: descriptor duplication, not a file.
    .filter(
      (r) =>
        !(/^(\d+|-)$/.test(lit(r.target) ?? '') && r.op.endsWith('&')) &&
        !(r.op === '>&' && /^\d+$/.test(lit(r.target) ?? '')),
    )
    .map((r) => r.target);
  return check(targets, cmd, ctx, 'redirects output to');
};

/** Files a command writes through its own arguments (not redirections). */
export function writeTargets(cmd: SimpleCommand): Word[] {
  const name = commandName(cmd);
  return (Object.hasOwn(TARGETS, name) ? TARGETS[name]?.(cmd) : undefined) ?? [];
}

export const commandWrites: CommandRule = (cmd, ctx) => {
  const name = commandName(cmd);
  const targets = Object.hasOwn(TARGETS, name) ? TARGETS[name]?.(cmd) : undefined;
  if (!targets || targets.length === 0) return undefined;
  return check(targets, cmd, ctx, `${name} writes to`);
};

export const writeRules: CommandRule[] = [redirectWrites, commandWrites];
