import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

const moduleOf = (file: string): string => relative(SRC, file).split('/')[0] ?? '';

describe('architecture', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('lets only src/exec/ run processes or open SSH connections (DESIGN invariant 1)', () => {
    const offenders = files.flatMap((file) =>
      moduleOf(file) === 'exec'
        ? []
        : importsOf(file)
            .filter((spec) => /^(node:)?child_process$|^ssh2$/.test(spec))
            .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('reaches another module only through its index.ts', () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => ({ spec, target: resolve(dirname(file), spec) }))
        .filter(({ target }) => target.startsWith(SRC) && moduleOf(target) !== moduleOf(file))
        .filter(({ target }) => relative(join(SRC, moduleOf(target)), target) !== 'index.js')
        .map(({ spec }) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
