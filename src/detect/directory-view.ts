import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AutomatosError } from '../core/index.js';
import {
  MAX_READ_BYTES,
  joinRelative,
  looksBinary,
  normalizeRelative,
  parseJsonOrNull,
  walk,
  type RepoEntry,
  type RepoView,
} from './repo-view.js';

/**
 * A RepoView over a directory on disk. The repository is untrusted: a symlink may point at
 * /etc/passwd or at the operator's ~/.ssh. Every access resolves the real path and refuses
 * anything outside the (real) root, so a link out of the tree behaves like a missing file.
 * Symlinked directories are not listed either, which also keeps walks free of link cycles.
 * Special files (FIFOs, devices) are never opened, since reading a FIFO would block forever.
 */
export function directoryView(root: string): RepoView {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    if (!statSync(realRoot).isDirectory()) throw new Error('not a directory');
  } catch (cause) {
    throw new AutomatosError(
      'AUT_IO',
      `Cannot read repository directory ${root}: it does not exist or is not a directory.`,
      {
        details: { path: root },
        cause,
      },
    );
  }

  /** The real absolute path of `path` if it stays inside the root, else null. */
  const resolveInside = (path: string): string | null => {
    const rel = normalizeRelative(path);
    if (rel === null) return null;
    try {
      const real = realpathSync(join(realRoot, rel));
      return real === realRoot || real.startsWith(realRoot + sep) ? real : null;
    } catch {
      return null;
    }
  };

  const readText = (path: string): string | null => {
    const real = resolveInside(path);
    if (real === null) return null;
    let fd: number | undefined;
    try {
      if (!statSync(real).isFile()) return null;
      fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      const stat = fstatSync(fd);
      if (!stat.isFile() || stat.size > MAX_READ_BYTES) return null;
      // Read one byte past the cap so a file that grew after fstat is still refused.
      const buffer = Buffer.alloc(Math.min(stat.size + 1, MAX_READ_BYTES + 1));
      let length = 0;
      while (length < buffer.length) {
        const n = readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
      }
      if (length > MAX_READ_BYTES) return null;
      const bytes = buffer.subarray(0, length);
      return looksBinary(bytes) ? null : bytes.toString('utf8');
    } catch {
      return null;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };

  const list = (dir: string): RepoEntry[] => {
    const rel = normalizeRelative(dir);
    const real = rel === null ? null : resolveInside(rel);
    if (rel === null || real === null) return [];
    let dirents;
    try {
      dirents = readdirSync(real, { withFileTypes: true });
    } catch {
      return [];
    }
    const entries: RepoEntry[] = [];
    for (const dirent of dirents) {
      if (dirent.isDirectory()) entries.push({ name: dirent.name, kind: 'dir' });
      else if (dirent.isFile()) entries.push({ name: dirent.name, kind: 'file' });
      else if (dirent.isSymbolicLink()) {
        // A link is shown only as a file, and only when its target is a file inside the root.
        const target = resolveInside(joinRelative(rel, dirent.name));
        if (target !== null && safeIsFile(target)) entries.push({ name: dirent.name, kind: 'file' });
      }
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };

  return {
    exists: (path) => resolveInside(path) !== null,
    realPath: (path) => {
      const real = resolveInside(path);
      return real === null ? null : relative(realRoot, real).split(sep).join('/');
    },
    readText,
    readJson: (path) => parseJsonOrNull(readText(path)),
    list,
    files: (opts) => walk(list, opts),
  };
}

function safeIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
