import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFileQuote } from '../../src/engine/deploy/env-file.js';

// The real reader: /bin/sh sourcing the file with `set -a`, as the process supervisor does.
function readBack(value: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'automatos-env-')), '.env');
  writeFileSync(file, `V=${envFileQuote(value)}\n`);
  return execFileSync('/bin/sh', ['-c', `set -a; . "$1"; printf %s "$V"`, 'sh', file], { encoding: 'utf8' });
}

describe('env file quoting', () => {
  it.each(['plain', "it's", 'say "hi"', 'cost $5 and `id` and $(id)', 'back\\slash', 'two\nlines', ''])(
    'reads back %j exactly through /bin/sh',
    (value) => {
      expect(readBack(value)).toBe(value);
    },
  );

  it('escapes only what both the shell and systemd treat specially', () => {
    expect(envFileQuote(`a'b"c$d\`e\\f`)).toBe(`"a'b\\"c\\$d\\\`e\\\\f"`);
  });
});
