import { describe, expect, it } from 'vitest';
import { getParser } from '../../src/policy/parse.js';
import { nameOf, walkTree } from '../../src/policy/walk.js';

async function walk(source: string, cwd = '/srv/app') {
  const parser = await getParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('no tree');
  try {
    return walkTree(tree, parser, { cwd, home: '/home/deploy' });
  } finally {
    tree.delete();
  }
}

describe('walkTree', () => {
  it('records pipeline position and upstream commands', async () => {
    const { commands } = await walk('cat <(curl x) | grep y | sh');
    const sh = commands.find((c) => nameOf(c) === 'sh');
    expect(sh?.pipeline).toEqual({ index: 2, length: 3, upstream: ['curl', 'cat', 'grep'] });
    expect(commands.find((c) => nameOf(c) === 'curl')?.inSubstitution).toBe(true);
  });

  it('tracks cd through lists but not out of subshells', async () => {
    const { commands } = await walk('cd /tmp && (cd /etc; ls) && pwd; cd releases; ls');
    expect(commands.map((c) => `${nameOf(c)}@${c.cwd}`)).toEqual([
      'cd@/srv/app',
      'cd@/tmp',
      'ls@/etc',
      'pwd@/tmp',
      'cd@/tmp',
      'ls@/tmp/releases',
    ]);
  });

  it('unwraps wrappers and re-parses shell strings', async () => {
    const { commands } = await walk(`sudo -u app env A=1 nice -n 5 bash -c 'timeout 5 xargs rm -f'`);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ depth: 1, via: ['sudo', 'env', 'nice', 'bash', 'timeout', 'xargs'] });
    expect(commands.map(nameOf)).toEqual(['rm']);
    expect(commands[0]?.args.at(-1)).toMatchObject({ dynamic: true, text: '<stdin>' });
  });

  it('walks find -exec with {} as a glob under each root', async () => {
    const { commands } = await walk('find /a b -exec rm -rf {} +');
    expect(commands.map((c) => c.args.map((a) => ('literal' in a ? a.literal : a.text)).join(' '))).toEqual([
      '/a b -exec rm -rf {} +',
      '-rf /a/*',
      '-rf b/*',
    ]);
  });

  it('attaches redirects, here-docs and assignments', async () => {
    const { commands } = await walk('X=1 cat <<EOF > /tmp/out 2>&1\nhi\nEOF');
    expect(commands[0]).toMatchObject({
      assignments: [{ name: 'X', value: { literal: '1' } }],
      redirects: [
        { op: '>', target: { literal: '/tmp/out' } },
        { op: '>&', fd: '2', target: { literal: '1' } },
      ],
      stdin: [{ kind: 'heredoc', text: 'hi\n', dynamic: false }],
    });
  });
});
