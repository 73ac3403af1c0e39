import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMasterKey, MASTER_KEY_ENV } from '../../src/security/index.js';

const dirs: string[] = [];
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'automatos-mk-'));
  dirs.push(dir);
  return join(dir, 'data');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('loadMasterKey', () => {
  it('creates <dataDir>/master.key with mode 0600 on first run and reuses it', () => {
    const dir = dataDir();
    const first = loadMasterKey({ dataDir: dir, env: {} });
    expect(first).toMatchObject({ source: 'file', path: join(dir, 'master.key'), created: true });
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(first.key.reveal()).toHaveLength(32);
    expect(
      Buffer.from(readFileSync(join(dir, 'master.key'), 'utf8').trim(), 'base64').equals(first.key.reveal()),
    ).toBe(true);

    const second = loadMasterKey({ dataDir: dir, env: {} });
    expect(second.created).toBe(false);
    expect(second.key.reveal().equals(first.key.reveal())).toBe(true);
    expect(inspect(second)).not.toContain(first.key.reveal().toString('base64'));
  });

  it.each([0o644, 0o640, 0o604])('refuses a key file with mode %o and says chmod 600', (mode) => {
    const dir = dataDir();
    loadMasterKey({ dataDir: dir, env: {} });
    const path = join(dir, 'master.key');
    chmodSync(path, mode);
    expect(() => loadMasterKey({ dataDir: dir, env: {} })).toThrow(
      expect.objectContaining({
        code: 'AUT_MASTER_KEY_INSECURE',
        message: expect.stringContaining(`chmod 600 ${path}`),
      }),
    );
  });

  it('refuses a key file with bad content', () => {
    const dir = dataDir();
    loadMasterKey({ dataDir: dir, env: {} });
    writeFileSync(join(dir, 'master.key'), 'short\n', { mode: 0o600 });
    expect(() => loadMasterKey({ dataDir: dir, env: {} })).toThrow(
      expect.objectContaining({ code: 'AUT_MASTER_KEY_INVALID' }),
    );
  });

  it('prefers AUTOMATOS_MASTER_KEY in hex or base64 and writes no file', () => {
    const bytes = randomBytes(32);
    for (const value of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) {
      const dir = dataDir();
      const key = loadMasterKey({ dataDir: dir, env: { [MASTER_KEY_ENV]: value } });
      expect(key).toMatchObject({ source: 'env', path: null, created: false });
      expect(key.key.reveal().equals(bytes)).toBe(true);
      expect(() => statSync(join(dir, 'master.key'))).toThrow();
    }
  });

  it.each([
    ['16 bytes of hex', randomBytes(16).toString('hex'), '16 bytes'],
    ['31 bytes of base64', randomBytes(31).toString('base64'), '31 bytes'],
    ['64 bytes of base64', randomBytes(64).toString('base64'), '64 bytes'],
    ['not an encoding', 'this is not a key!', 'neither hex nor base64'],
  ])('refuses AUTOMATOS_MASTER_KEY with %s', (_name, value, got) => {
    expect(() => loadMasterKey({ dataDir: dataDir(), env: { [MASTER_KEY_ENV]: value } })).toThrow(
      expect.objectContaining({
        code: 'AUT_MASTER_KEY_INVALID',
        message: expect.stringMatching(new RegExp(`^AUTOMATOS_MASTER_KEY must be 32 bytes .*got ${got}`)),
      }),
    );
  });

  it('treats an empty AUTOMATOS_MASTER_KEY as unset', () => {
    expect(loadMasterKey({ dataDir: dataDir(), env: { [MASTER_KEY_ENV]: '' } }).source).toBe('file');
  });
});
