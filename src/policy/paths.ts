import type { Link, Word } from './types.js';

/**
 * Path arithmetic done the way the remote shell would, but without touching any filesystem (the
 * policy runs on the orchestrator, not on the target): `~`, cwd, `.`, `..` and `//` are resolved
 * lexically. Symlinks on the target cannot be seen, which is why writable roots must be real dirs.
 */

export function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Absolute normalized path, or undefined when it depends on something unknown. */
export function resolvePath(word: Word, cwd: string | null, home: string): string | undefined {
  if (!('literal' in word)) return undefined;
  let path = word.literal;
  if (word.tilde) {
    const match = /^~([^/]*)(.*)$/.exec(path);
    const user = match?.[1] ?? '';
    const rest = match?.[2] ?? '';
    path = (user === '' ? home : user === 'root' ? '/root' : `/home/${user}`) + rest;
  }
  if (path.startsWith('/')) return throughProcSelf(normalize(path), cwd);
  if (cwd === null || path === '') return undefined;
  return throughProcSelf(normalize(`${cwd}/${path}`), cwd);
}

const PROC_SELF = /^\/proc\/(?:self|thread-self)(?:\/task\/[^/]+)?\/(root|cwd)(\/.*)?$/;

/** `/proc/self/root/etc/shadow` is /etc/shadow and `/proc/self/cwd/x` is ./x, for every rule. */
function throughProcSelf(path: string, cwd: string | null): string | undefined {
  const match = PROC_SELF.exec(path);
  if (!match) return path;
  const rest = match[2] ?? '';
  if (match[1] === 'root') return normalize(rest || '/');
  return cwd === null ? undefined : normalize(`${cwd}/${rest}`);
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/** One path segment against one glob segment (`*`, `?`, `[…]`). */
export function segmentRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] ?? '';
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function segments(path: string): string[] {
  return normalize(path).split('/').filter(Boolean);
}

/**
 * Can `pattern` (an absolute path that may hold globs) name `target` or something under it?
 * With `under`, a deeper match also counts (`/ro*t/x` can name something under `/root`).
 */
export function globMayMatch(pattern: string, target: string, under: boolean): boolean {
  const p = segments(pattern);
  const t = segments(target);
  if (p.length < t.length || (!under && p.length !== t.length)) return false;
  return t.every((seg, i) => segmentRegex(p[i] ?? '').test(seg));
}

/** Can `pattern` (which may hold globs) name `dir` itself or one of its ancestors? */
export function globMayNameAncestor(pattern: string, dir: string): boolean {
  const p = segments(pattern);
  const d = segments(dir);
  return p.length <= d.length && p.every((seg, i) => segmentRegex(seg).test(d[i] ?? ''));
}

/**
 * Does a glob match every entry below its literal base (`/tmp/*`, `/tmp/[a-z]*`, or deeper)? A
 * segment with a literal character outside brackets (`name-*.tgz`, `.*`) picks only some entries.
 */
export function wipesContents(pattern: string): boolean {
  const parts = segments(pattern);
  const first = parts.findIndex((part) => /[*?[]/.test(part));
  if (first === -1) return false;
  return parts.slice(first).every((part) => !/[^*?]/.test(part.replace(/\[[^\]]*\]/g, '')));
}

/** Directory that holds every match of a glob: the literal prefix up to the first glob segment. */
export function globBase(pattern: string): string {
  const parts = segments(pattern);
  const index = parts.findIndex((part) => /[*?[]/.test(part));
  return `/${parts.slice(0, index === -1 ? parts.length : index).join('/')}`;
}

export const hasGlob = (path: string): boolean => /[*?[]/.test(path);

export interface Roots {
  /** Directories writes may land under. */
  dirs: string[];
  /** Exact-file globs writes may target (systemd unit files). */
  files: string[];
}

export function makeRoots(entries: readonly string[], home: string): Roots {
  const roots: Roots = { dirs: [], files: [] };
  for (const entry of entries) {
    const path = entry.startsWith('~') ? home + entry.slice(1) : entry;
    if (hasGlob(path)) roots.files.push(normalize(path));
    else roots.dirs.push(normalize(path));
  }
  return roots;
}

/** Is a write to `path` (which may be a glob) confined to the writable roots? */
export function insideRoots(path: string, roots: Roots): boolean {
  if (hasGlob(path)) {
    // Every expansion lives under the literal base, which gains at least one segment: a base at or
    // under a root dir stays inside it. Globs are never trusted against exact-file roots.
    const base = globBase(path);
    return roots.dirs.some((dir) => isUnder(base, dir));
  }
  if (roots.dirs.some((dir) => isUnder(path, dir))) return true;
  return roots.files.some((file) => globMayMatch(file, path, false));
}

/** Device paths writes may always target: they discard or echo data. */
const HARMLESS_DEVICES = new Set([
  '/dev/null',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/stdin',
  '/dev/tty',
  '/dev/zero',
]);

export function isHarmlessDevice(path: string): boolean {
  return HARMLESS_DEVICES.has(path) || /^\/dev\/fd\/\d+$/.test(path) || /^\/proc\/self\/fd\/\d+$/.test(path);
}

/**
 * A path as seen through links made earlier in the same command (`ln -s / /tmp/l; rm -rf /tmp/l/*`
 * is `rm -rf /*`). undefined when it may lead somewhere unknown: a link whose target or name is
 * dynamic (unless `harmless` vouches for the target), a glob that may pass through a link, or a loop.
 */
export function followLinks(
  path: string,
  links: readonly Link[] | undefined,
  harmless: (target: string) => boolean = () => false,
): string | undefined {
  if (!links || links.length === 0) return path;
  let current = path;
  for (let hop = 0; hop < 16; hop += 1) {
    let next: string | undefined;
    for (let i = links.length - 1; i >= 0; i -= 1) {
      const entry = links[i];
      if (!entry) continue;
      const { link, target } = entry;
      if (link === null) {
        if (target === null || !harmless(target)) return undefined;
        continue;
      }
      const exact = current === link || current.startsWith(link === '/' ? '/' : `${link}/`);
      if (!exact && hasGlob(current) && globMayMatch(current, link, true)) return undefined;
      if (!exact) continue;
      if (target === null) return undefined;
      next = normalize(`${target}/${current.slice(link.length)}`);
      break;
    }
    if (next === undefined) return current;
    current = next;
  }
  return undefined;
}
