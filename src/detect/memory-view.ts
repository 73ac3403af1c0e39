import {
  MAX_READ_BYTES,
  looksBinary,
  normalizeRelative,
  parseJsonOrNull,
  walk,
  type RepoEntry,
  type RepoView,
} from './repo-view.js';

/**
 * An in-memory repository for unit tests: keys are relative paths, directories are implied.
 * It applies the same caps as the directory view so tests exercise the same behaviour.
 */
export function memoryView(files: Record<string, string>): RepoView {
  const contents = new Map<string, string>();
  const dirs = new Map<string, Map<string, RepoEntry['kind']>>();
  const addEntry = (dir: string, name: string, kind: RepoEntry['kind']): void => {
    const entries = dirs.get(dir) ?? new Map<string, RepoEntry['kind']>();
    entries.set(name, kind);
    dirs.set(dir, entries);
  };
  for (const [raw, text] of Object.entries(files)) {
    const path = normalizeRelative(raw);
    if (path === null || path === '') throw new Error(`memoryView: invalid path ${JSON.stringify(raw)}`);
    contents.set(path, text);
    const parts = path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      addEntry(dir, parts[i] ?? '', i === parts.length - 1 ? 'file' : 'dir');
    }
  }

  const readText = (path: string): string | null => {
    const key = normalizeRelative(path);
    const text = key === null ? undefined : contents.get(key);
    if (text === undefined) return null;
    if (Buffer.byteLength(text, 'utf8') > MAX_READ_BYTES || looksBinary(text)) return null;
    return text;
  };
  const list = (dir: string): RepoEntry[] => {
    const key = normalizeRelative(dir);
    const entries = key === null ? undefined : dirs.get(key);
    if (!entries) return [];
    return [...entries]
      .map(([name, kind]) => ({ name, kind }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };

  return {
    exists: (path) => {
      const key = normalizeRelative(path);
      return key !== null && (contents.has(key) || dirs.has(key));
    },
    realPath: (path) => {
      const key = normalizeRelative(path);
      return key !== null && (contents.has(key) || dirs.has(key)) ? key : null;
    },
    readText,
    readJson: (path) => parseJsonOrNull(readText(path)),
    list,
    files: (opts) => walk(list, opts),
  };
}
