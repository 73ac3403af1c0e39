import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_NAMES, secretRows } from '../security/bad-names.js';
import { runCli } from './run-cli.js';

let root: string;
let dataDir: string;
/** Files under the root, leaving out SQLite's own -wal/-shm files (they come and go with connections). */
const files = (): string[] =>
  readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => !/automatos\.db-(wal|shm)$/.test(f));
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { cwd: root });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'automatos-cli-names-'));
  dataDir = join(root, 'data');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('secret and app names in the CLI', () => {
  it('control: a good name is stored (one row, one encrypted record)', async () => {
    const out = await cli('secrets', 'set', 'shop', 'API_TOKEN', '--value', 'v4lue-for-the-control');
    expect(out.code).toBe(0);
    expect(secretRows(dataDir)).toEqual({ secrets: 1, keys: 1 });
  });

  it.each(BAD_NAMES.map((name) => [JSON.stringify(name), name]))(
    'refuses %s as an app or secret name in one line, storing nothing',
    async (_shown, bad) => {
      const before = files();
      for (const args of [
        ['secrets', 'set', bad, 'API_TOKEN', '--value', 'v'],
        ['secrets', 'set', 'shop', bad, '--value', 'v'],
        ['secrets', 'rm', bad, 'API_TOKEN'],
        ['secrets', 'rm', 'shop', bad],
        ['secrets', 'ls', bad],
      ]) {
        const out = await cli(...args);
        expect(out.code, args.join(' ')).not.toBe(0);
        expect(out.stderr).toMatch(/^error: invalid (app|secret) name /);
        expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(out.stdout).toBe('');
      }
      expect(secretRows(dataDir)).toEqual({ secrets: 1, keys: 1 });
      expect(files()).toEqual(before);
      expect(existsSync(join(root, 'etc'))).toBe(false);
    },
  );
});
