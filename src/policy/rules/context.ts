import {
  followLinks,
  globBase,
  globMayMatch,
  globMayNameAncestor,
  hasGlob,
  insideRoots,
  isHarmlessDevice,
  isUnder,
  resolvePath,
  wipesContents,
  type Roots,
} from '../paths.js';
import type { Finding, SimpleCommand, Word } from '../types.js';
import { basename, nameOf } from '../walk.js';
import { RULES, type RuleId } from './catalog.js';

/** What every rule may consult besides the command itself. */
export interface RuleContext {
  home: string;
  roots: Roots;
  /** Absolute paths (globs allowed) that must not be read, nor anything under them. */
  readDenied: string[];
}

export type CommandRule = (cmd: SimpleCommand, ctx: RuleContext) => Finding | undefined;

export function deny(rule: RuleId, cmd: SimpleCommand | string, reason: string): Finding {
  return {
    allowed: false,
    rule,
    reason,
    risk: RULES[rule].risk,
    command: typeof cmd === 'string' ? cmd : cmd.text,
  };
}

export const commandName = nameOf;
export { basename };

export function lit(word: Word | undefined): string | undefined {
  return word && 'literal' in word ? word.literal : undefined;
}

export function show(word: Word): string {
  return 'literal' in word ? word.literal : word.text;
}

/** Literal arguments, with dynamic ones as undefined. */
export function argTexts(cmd: SimpleCommand): (string | undefined)[] {
  return cmd.args.map(lit);
}

export type PathClass = 'system' | 'outside' | 'inside' | 'unresolved' | 'device';

/** Directories whose removal (or removal of everything in them) breaks the machine. */
const SYSTEM_TREES = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/sbin',
  '/sys',
  '/usr',
];
const CRITICAL_DIRS = [
  '/var',
  '/var/lib',
  '/var/log',
  '/var/spool',
  '/var/cache',
  '/var/www',
  '/home',
  '/root',
  '/opt',
  '/srv',
  '/run',
  '/mnt',
  '/media',
  '/snap',
  '/boot',
];

/**
 * Is deleting `path` system destruction? `/`, any top-level dir, anything in a system tree, or a
 * critical dir (home dirs, /var/lib, a writable root, …) or one of its ancestors. For a glob the
 * literal base counts for system trees (`/etc/*.bak`); for critical dirs it counts when the glob
 * empties them (`/var/*`) or can name one of them or an ancestor.
 */
export function isSystemPath(path: string, ctx: RuleContext): boolean {
  const glob = hasGlob(path);
  const base = glob ? globBase(path) : path;
  if (base === '/' || (!glob && base.split('/').length === 2)) return true;
  if (SYSTEM_TREES.some((tree) => isUnder(base, tree))) return true;
  if (/^\/home\/[^/]+$/.test(base)) return true;
  const kept = [...CRITICAL_DIRS, ctx.home, ...ctx.roots.dirs];
  if (!glob) return kept.some((dir) => isUnder(dir, base));
  // `/tmp/*` empties the root /tmp and `/opt/a*` can name /opt/automatos; `/tmp/name-*.tgz` only
  // picks some files inside /tmp, which is what a writable root is for.
  return kept.some((dir) => globMayNameAncestor(path, dir) || (wipesContents(path) && isUnder(dir, base)));
}

/** Absolute path of a word for this command, through links made earlier; undefined when unknown. */
export function commandPath(word: Word, cmd: SimpleCommand, ctx: RuleContext): string | undefined {
  const path = resolvePath(word, cmd.cwd, ctx.home);
  if (path === undefined) return undefined;
  return followLinks(path, cmd.links, (target) => insideRoots(target, ctx.roots));
}

/** Where a path argument lands, for a command that deletes or modifies it. */
/** Worst first: a word with several possible values is judged by its most dangerous one. */
const SEVERITY: readonly PathClass[] = ['system', 'device', 'outside', 'unresolved', 'inside'];

export function classify(
  word: Word,
  cmd: SimpleCommand,
  ctx: RuleContext,
  destroy: boolean,
): { cls: PathClass; path: string } {
  if ('dynamic' in word && word.known && word.patterns && word.patterns.length > 0) {
    // Every value is known (`d=/x; if …; then d=/y; fi; rm -rf "$d"`): judge each.
    const each = word.patterns.map((p) => classify({ literal: p, glob: hasGlob(p) }, cmd, ctx, destroy));
    return each.reduce((a, b) => (SEVERITY.indexOf(b.cls) < SEVERITY.indexOf(a.cls) ? b : a));
  }
  const path = commandPath(word, cmd, ctx);
  if (path === undefined) return { cls: 'unresolved', path: show(word) };
  if (/^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|mapper\/|disk\/)/.test(path))
    return { cls: 'device', path };
  // An exact writable file (an automatos-* unit file) may be replaced or renamed away.
  const ownFile = !hasGlob(path) && ctx.roots.files.some((file) => globMayMatch(file, path, false));
  if (destroy && !ownFile && isSystemPath(path, ctx)) return { cls: 'system', path };
  if (isHarmlessDevice(path)) return { cls: 'inside', path };
  if (insideRoots(path, ctx.roots)) return { cls: 'inside', path };
  return { cls: 'outside', path };
}

/** Operands of a command: arguments that are not options (dynamic ones included). */
export function operands(cmd: SimpleCommand): Word[] {
  const out: Word[] = [];
  let only = false;
  for (const word of cmd.args) {
    const text = lit(word);
    if (!only && text === '--') {
      only = true;
      continue;
    }
    if (!only && text !== undefined && text.startsWith('-') && text !== '-') continue;
    out.push(word);
  }
  return out;
}

/** Any word of the command (name, args, redirect targets, assignment values) matching a test. */
export function anyText(cmd: SimpleCommand, test: (text: string) => boolean): boolean {
  const words = [
    cmd.name,
    ...cmd.args,
    ...cmd.redirects.map((r) => r.target),
    ...cmd.assignments.map((a) => a.value),
  ];
  return words.some((w) => test(show(w)));
}
