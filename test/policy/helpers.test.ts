import { describe, expect, it } from 'vitest';
import { makeRecipes } from '../../src/policy/inline-code.js';
import { inlineEffects } from '../../src/policy/inline-effects.js';
import { getParser } from '../../src/policy/parse.js';
import { globMayNameAncestor, resolvePath, wipesContents } from '../../src/policy/paths.js';
import { ansiCEnd } from '../../src/policy/tree-checks.js';
import { resolveWord } from '../../src/policy/words.js';
import type { VarLookup } from '../../src/policy/words.js';

async function word(source: string, vars?: VarLookup) {
  const parser = await getParser();
  const tree = parser.parse(`echo ${source}`);
  const node = tree?.rootNode.firstChild?.childForFieldName('argument');
  if (!tree || !node) throw new Error('no word');
  try {
    return resolveWord(node, vars).word;
  } finally {
    tree.delete();
  }
}

describe('glob paths', () => {
  it.each([
    ['/tmp/*', true],
    ['/tmp/[a-z]*', true],
    ['/tmp/*/*', true],
    ['/tmp/name-*.tgz', false],
    ['/tmp/.*', false],
    ['/tmp/x', false],
  ])('%s empties its base: %s', (pattern, expected) => {
    expect(wipesContents(pattern)).toBe(expected);
  });

  it('knows which globs can name a directory or its ancestor', () => {
    expect(globMayNameAncestor('/opt/a*', '/opt/automatos/apps')).toBe(true);
    expect(globMayNameAncestor('/tmp/name-*.tgz', '/tmp')).toBe(false);
  });

  it('reads /proc/self/root and /proc/self/cwd as the paths they lead to', () => {
    expect(resolvePath({ literal: '/proc/self/root/etc/shadow' }, '/srv', '/root')).toBe('/etc/shadow');
    expect(resolvePath({ literal: '/proc/thread-self/cwd/x' }, '/srv', '/root')).toBe('/srv/x');
    expect(resolvePath({ literal: '/proc/1/root/etc' }, '/srv', '/root')).toBe('/proc/1/root/etc');
  });
});

describe('words with variables', () => {
  const vars: VarLookup = (name) =>
    ({ f: { values: ['/etc/shadow'], unknown: false }, d: { values: ['/', '/tmp'], unknown: false } })[name];

  it('fills in a variable with one known value', async () => {
    expect(await word('"$f"', vars)).toEqual({ literal: '/etc/shadow' });
    expect(await word('${f}.bak', vars)).toEqual({ literal: '/etc/shadow.bak' });
  });

  it('keeps several values as known patterns', async () => {
    expect(await word('"$d"', vars)).toMatchObject({ dynamic: true, patterns: ['/', '/tmp'], known: true });
  });

  it('turns unknown parts into * in patterns', async () => {
    expect(await word('/proc/$$/environ')).toMatchObject({ patterns: ['/proc/*/environ'], known: false });
    expect(await word('/etc/{shadow,passwd}')).toMatchObject({ patterns: ['/etc/*'], known: false });
    expect(await word('"$f"')).toMatchObject({ dynamic: true, patterns: ['*'] });
  });
});

describe('inline code', () => {
  it("finds where bash ends a $'…' string", () => {
    expect(ansiCEnd("$'\\\\' ; x ; # '")).toBe(4);
    expect(ansiCEnd("$'a\\'b'")).toBe(6);
  });

  it('reads make recipes as shell', () => {
    expect(makeRecipes('all: dep\n\t@$(CC) -o x $$HOME\nx: ; -rm -rf /tmp/x\n')).toEqual([
      'make_var -o x $HOME',
      'rm -rf /tmp/x',
    ]);
  });

  it('spells literal-path file calls as shell commands', () => {
    expect(inlineEffects("import shutil; shutil.rmtree('/etc'); open('/etc/shadow').read()")).toEqual([
      "rm -rf -- '/etc'",
      "cat -- '/etc/shadow'",
    ]);
    expect(inlineEffects("open(F, '>', '/etc/x')")).toEqual(["tee -- '/etc/x'"]);
  });
});
