import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_READ_BYTES, directoryView, memoryView, type RepoView } from '../../src/detect/index.js';

const FILES: Record<string, string> = {
  'package.json': '{"name": "x", "scripts": {"start": "node a.js"}}',
  'broken.json': '{"name": ',
  'a.js': 'console.log(1);\n',
  'src/lib/util.py': 'x = 1\n',
  'src/main.py': 'print(1)\n',
  'node_modules/express/index.js': 'module.exports = 1;\n',
  '.venv/bin/activate': 'echo\n',
  'dist/bundle.js': 'listen(3000)\n',
  'deep/a/b/c/d/e/f.txt': 'deep\n',
};

const tmpRoots: string[] = [];
function onDisk(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'automatos-view-'));
  tmpRoots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterAll(() => {
  for (const root of tmpRoots) rmSync(root, { recursive: true, force: true });
});

/** One contract, both implementations: unit tests on memoryView stand for the real thing. */
const implementations: [string, (files: Record<string, string>) => RepoView][] = [
  ['memoryView', memoryView],
  ['directoryView', (files) => directoryView(onDisk(files))],
];

describe.each(implementations)('RepoView contract: %s', (_name, make) => {
  const view = make(FILES);

  it('reads text and reports missing files as null', () => {
    expect(view.readText('a.js')).toBe('console.log(1);\n');
    expect(view.readText('./src/main.py')).toBe('print(1)\n');
    expect(view.readText('missing.txt')).toBeNull();
    expect(view.exists('src')).toBe(true);
    expect(view.exists('src/nope.py')).toBe(false);
  });

  it('parses JSON and returns null on invalid JSON without throwing', () => {
    expect(view.readJson('package.json')).toEqual({ name: 'x', scripts: { start: 'node a.js' } });
    expect(view.readJson('broken.json')).toBeNull();
    expect(view.readJson('missing.json')).toBeNull();
  });

  it('refuses paths that climb out of the root', () => {
    expect(view.readText('../etc/passwd')).toBeNull();
    expect(view.readText('/etc/passwd')).toBeNull();
    expect(view.exists('src/../../x')).toBe(false);
    expect(view.list('..')).toEqual([]);
  });

  it('lists a directory sorted, with kinds', () => {
    expect(view.list('src')).toEqual([
      { name: 'lib', kind: 'dir' },
      { name: 'main.py', kind: 'file' },
    ]);
    expect(view.list('nope')).toEqual([]);
  });

  it('walks sorted, skipping dependency and build trees and bounding depth', () => {
    expect(view.files()).toEqual(['a.js', 'broken.json', 'package.json', 'src/lib/util.py', 'src/main.py']);
    expect(view.files({ extensions: ['.py'] })).toEqual(['src/lib/util.py', 'src/main.py']);
    expect(view.files({ dir: 'src', maxDepth: 0 })).toEqual(['src/main.py']);
    expect(view.files({ maxFiles: 2 })).toEqual(['a.js', 'broken.json']);
    expect(view.files({ dir: 'deep', maxDepth: 10 })).toEqual(['deep/a/b/c/d/e/f.txt']);
  });

  it('treats binary and oversized files as unreadable', () => {
    const big = make({
      'big.txt': 'x'.repeat(MAX_READ_BYTES + 1),
      'ok.txt': 'x'.repeat(MAX_READ_BYTES),
      'bin.dat': 'abc\0def',
    });
    expect(big.readText('big.txt')).toBeNull();
    expect(big.readText('ok.txt')).toHaveLength(MAX_READ_BYTES);
    expect(big.readText('bin.dat')).toBeNull();
    expect(big.exists('big.txt')).toBe(true);
  });
});

describe('directoryView security', () => {
  const outside = onDisk({ 'secret.txt': 'TOP SECRET\n', 'dir/inner.txt': 'inner\n' });
  const root = onDisk({ 'real.txt': 'real\n', 'sub/file.txt': 'sub\n' });
  symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(outside, 'dir'), join(root, 'leakdir'));
  symlinkSync('../../', join(root, 'sub/up'));
  symlinkSync('real.txt', join(root, 'alias.txt'));
  symlinkSync('sub', join(root, 'subalias'));
  const view = directoryView(root);

  it('does not follow a symlink to a file outside the root', () => {
    expect(view.readText('leak.txt')).toBeNull();
    expect(view.exists('leak.txt')).toBe(false);
  });

  it('does not follow a symlinked directory outside the root, by path or by walk', () => {
    expect(view.readText('leakdir/inner.txt')).toBeNull();
    expect(view.list('leakdir')).toEqual([]);
    expect(view.readText('sub/up/secret.txt')).toBeNull();
    expect(view.files({ maxDepth: 10 })).not.toContain('leakdir/inner.txt');
  });

  it('reads a symlink that stays inside the root, but never lists symlinked directories', () => {
    expect(view.readText('alias.txt')).toBe('real\n');
    expect(view.list('').map((e) => e.name)).toEqual(['alias.txt', 'real.txt', 'sub']);
    expect(view.files({ maxDepth: 10 })).toEqual(['alias.txt', 'real.txt', 'sub/file.txt']);
  });

  it('never opens a FIFO (reading one would block forever)', () => {
    try {
      execFileSync('mkfifo', [join(root, 'pipe')]);
    } catch {
      return; // no mkfifo on this host
    }
    expect(view.readText('pipe')).toBeNull();
    expect(view.list('').map((e) => e.name)).not.toContain('pipe');
  });

  it('throws AUT_IO for a root that is not a directory', () => {
    expect(() => directoryView(join(root, 'real.txt'))).toThrow(expect.objectContaining({ code: 'AUT_IO' }));
    expect(() => directoryView(join(root, 'nope'))).toThrow(/does not exist or is not a directory/);
  });
});
