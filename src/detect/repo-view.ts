/**
 * Providers see a repository only through this read-only view: relative posix paths, bounded
 * reads, no exceptions. The repository is untrusted input, so every limit lives here once instead
 * of in each provider.
 */
export interface RepoEntry {
  name: string;
  kind: 'file' | 'dir';
}

export interface WalkOptions {
  /** Directory to start from, relative to the root; default the root. */
  dir?: string;
  /** Deepest directory level descended into (root is 0); default 4. */
  maxDepth?: number;
  /** Stop after this many files; default 2000. */
  maxFiles?: number;
  /** Keep only files whose name ends with one of these (e.g. `.py`); default all. */
  extensions?: readonly string[];
}

export interface RepoView {
  exists(path: string): boolean;
  /** Text of a file, or null when it is missing, binary, or larger than the read cap. */
  readText(path: string): string | null;
  /** Parsed JSON, or null when missing, unreadable or invalid; never throws. */
  readJson(path: string): unknown;
  /** Entries of a directory, sorted by name; empty when it does not exist. */
  list(dir: string): RepoEntry[];
  /**
   * Where `path` really is, relative to the root, after following symlinks (which never lead out of
   * the tree); null when it is missing or outside. A `Dockerfile` that links to `.env` says `.env`.
   */
  realPath(path: string): string | null;
  /** Files under `opts.dir`, sorted, bounded in depth and count, skipping vendored and generated trees. */
  files(opts?: WalkOptions): string[];
}

export const MAX_READ_BYTES = 256 * 1024;
export const DEFAULT_MAX_DEPTH = 4;
export const DEFAULT_MAX_FILES = 2000;

/**
 * Trees a walk never enters: dependencies, virtualenvs, caches and build output. Scanning them
 * would be slow and would find bundled third-party code (a vendored `listen(3000)`) instead of
 * the app's own. Explicit reads (`readText('dist/index.html')`) are unaffected.
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.tox',
  '.ruff_cache',
  'vendor',
  'target',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.gradle',
  '.idea',
  '.vscode',
  'coverage',
  'dist',
  'build',
]);

/** Normalizes a caller's path to `a/b`; returns null for anything that could leave the root. */
export function normalizeRelative(path: string): string | null {
  if (path.includes('\0') || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return null;
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.join('/');
}

export function joinRelative(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** A NUL byte in the first 8 KiB is the same heuristic git uses to call a file binary. */
export function looksBinary(sample: string | Uint8Array): boolean {
  const limit = Math.min(sample.length, 8192);
  for (let i = 0; i < limit; i++) {
    const code = typeof sample === 'string' ? sample.charCodeAt(i) : sample[i];
    if (code === 0) return true;
  }
  return false;
}

export function parseJsonOrNull(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The walk shared by every implementation, so both views skip and bound identically. */
export function walk(list: (dir: string) => RepoEntry[], opts: WalkOptions = {}): string[] {
  const start = normalizeRelative(opts.dir ?? '');
  if (start === null) return [];
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const out: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const entry of list(dir)) {
      if (out.length >= maxFiles) return;
      const path = joinRelative(dir, entry.name);
      if (entry.kind === 'dir') {
        if (depth < maxDepth && !SKIPPED_DIRS.has(entry.name)) visit(path, depth + 1);
      } else if (!opts.extensions || opts.extensions.some((ext) => entry.name.endsWith(ext))) {
        out.push(path);
      }
    }
  };
  visit(start, 0);
  return out;
}
