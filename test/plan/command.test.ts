import { describe, expect, it } from 'vitest';
import { argv, chain, either, pipe, renderCommand, script, shellQuote } from '../../src/plan/index.js';

describe('shellQuote', () => {
  it.each([
    ['plain', 'plain'],
    ['/opt/automatos/apps/x', '/opt/automatos/apps/x'],
    ['', "''"],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['a;rm -rf /', "'a;rm -rf /'"],
    ['`id`', "'`id`'"],
    ['~', "'~'"],
  ])('%j -> %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

describe('renderCommand', () => {
  it('renders argv with exact quoting', () => {
    expect(renderCommand(argv('mkdir', '-p', '/srv/my app'))).toBe("mkdir -p '/srv/my app'");
  });

  it('joins sequences with their operator', () => {
    expect(renderCommand(chain(argv('a'), argv('b'), argv('c')))).toBe('a && b && c');
    expect(renderCommand(pipe(argv('a'), argv('b')))).toBe('a | b');
  });

  it('groups a nested sequence of another operator', () => {
    expect(renderCommand(either(argv('q'), chain(argv('u'), argv('i'))))).toBe('q || { u && i; }');
  });

  it('keeps a simple user script bare and isolates one with operators in a subshell', () => {
    expect(renderCommand(chain(argv('set', '-a'), script('npm start', 'start_command')))).toBe(
      'set -a && npm start',
    );
    expect(renderCommand(chain(argv('x'), script('make; make test', 'build_command')))).toBe(
      'x && (make; make test)',
    );
    expect(renderCommand(chain(argv('x'), script('serve &', 'start_command')))).toBe('x && (serve &)');
  });

  it('puts the closing parenthesis on its own line after a script with a comment', () => {
    expect(renderCommand(chain(argv('x'), script('make # all', 'build_command')))).toBe(
      'x && (make # all\n)',
    );
  });

  it('renders a single-part sequence as the part itself', () => {
    expect(chain(argv('only'))).toEqual(argv('only'));
  });
});
