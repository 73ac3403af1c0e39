import { describe, expect, it } from 'vitest';
import { getParser } from '../../src/policy/parse.js';
import { decodeAnsiC, resolveWord } from '../../src/policy/words.js';

/** Resolve the first argument of `echo WORD`. */
async function word(source: string) {
  const parser = await getParser();
  const tree = parser.parse(`echo ${source}`);
  const arg = tree?.rootNode.firstNamedChild?.childForFieldName('argument');
  if (!tree || !arg) throw new Error(`no argument in ${source}`);
  const resolved = resolveWord(arg).word;
  tree.delete();
  return resolved;
}

describe('resolveWord', () => {
  it.each([
    ['rm', 'rm'],
    ["r''m", 'rm'],
    ['"rm"', 'rm'],
    ['\'r\'"m"', 'rm'],
    ['r\\m', 'rm'],
    ["$'\\x72m'", 'rm'],
    ["$'\\162\\155'", 'rm'],
    ["$'\\u0072\\U0000006d'", 'rm'],
    ["$'a\\tb\\nc'", 'a\tb\nc'],
    ["$'\\''", "'"],
    ['"a\\"b\\$c"', 'a"b$c'],
    ['a\\ b', 'a b'],
    ['"/opt/my app"/x', '/opt/my app/x'],
    ['{}', '{}'],
  ])('%s → %j', async (source, literal) => {
    expect(await word(source)).toMatchObject({ literal });
  });

  it('marks unquoted globs and tildes, but not quoted ones', async () => {
    expect(await word('/etc/sha*')).toEqual({ literal: '/etc/sha*', glob: true });
    expect(await word('"/etc/sha*"')).toEqual({ literal: '/etc/sha*' });
    expect(await word('~/x')).toEqual({ literal: '~/x', tilde: true });
    expect(await word('"~/x"')).toEqual({ literal: '~/x' });
  });

  it.each([
    '$X',
    '"$X"',
    '${X:-rm}',
    '$(echo rm)',
    '`echo rm`',
    '"a$(id)b"',
    '/{etc,usr}',
    '{1..3}',
    '$((1+2))',
    'x$Y',
  ])('%s is dynamic', async (source) => {
    expect(await word(source)).toMatchObject({ dynamic: true, text: source });
  });

  it('decodes ANSI-C escapes', () => {
    expect(decodeAnsiC('\\x41\\x4a\\101\\u00e9\\e\\cA\\q')).toBe('AJAé\u001b\u0001\\q');
  });
});
