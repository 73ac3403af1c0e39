import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keystore } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';
import { useTempStores } from './temp-store.js';

const PEM = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDkPlaintextMarkerThatMustNeverHitTheDiskXYZ0123456789abcdef',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

function filesOf(dbFile: string): Buffer[] {
  return [dbFile, `${dbFile}-wal`, `${dbFile}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
}

describe('KeysRepo on SQLite files', () => {
  const temp = useTempStores();

  it('stores only ciphertext: the plaintext never appears in the database files', async () => {
    const dataDir = temp.dataDir();
    const store = await openStore({ dataDir });
    const keystore = new Keystore(store, randomBytes(32));
    const keyId = await keystore.putKey('deploy', PEM);
    const secretId = await keystore.putSecret('DB_PASSWORD', 'correct-horse-battery-staple');

    const row = await store.keys.get(keyId);
    expect(row).toMatchObject({ id: keyId, kind: 'ssh_private_key', name: 'deploy' });
    expect(Buffer.from(row.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(row.tag, 'base64')).toHaveLength(16);
    expect((await keystore.getKey(keyId)).reveal()).toBe(PEM);
    expect((await keystore.getSecret(secretId)).reveal()).toBe('correct-horse-battery-staple');

    const needles = ['PlaintextMarkerThatMustNeverHitTheDisk', 'correct-horse-battery-staple'].flatMap(
      (s) => [Buffer.from(s), Buffer.from(Buffer.from(s).toString('base64').slice(0, 24))],
    );
    const check = (): void => {
      for (const file of filesOf(store.file)) {
        for (const needle of needles) expect(file.includes(needle)).toBe(false);
      }
    };
    check(); // while open, WAL included
    const file = store.file;
    await store.close();
    for (const content of filesOf(file))
      for (const needle of needles) expect(content.includes(needle)).toBe(false);
  });
});
