import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Keystore, Sensitive } from '../../src/security/index.js';
import { useTempStores } from '../store/temp-store.js';

const PEM =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

describe('Keystore', () => {
  const temp = useTempStores();

  it('puts and gets a key as Sensitive', async () => {
    const store = await temp.open();
    const keystore = new Keystore(store, new Sensitive(randomBytes(32)));
    const id = await keystore.putKey('deploy', PEM);
    expect(id).toMatch(/^key_[0-9a-f-]{36}$/);
    const key = await keystore.getKey(id);
    expect(key.reveal()).toBe(PEM);
    expect(inspect(key)).toBe('[REDACTED]');
    expect(await keystore.list()).toEqual([
      { id, kind: 'ssh_private_key', name: 'deploy', createdAt: expect.any(String) },
    ]);
  });

  it('refuses text that is not a PEM private key', async () => {
    const keystore = new Keystore(await temp.open(), randomBytes(32));
    await expect(keystore.putKey('pub', 'ssh-ed25519 AAAA user@host')).rejects.toMatchObject({
      code: 'AUT_INVALID_INPUT',
    });
  });

  it('fails clearly with another master key, and when a ciphertext is moved to another record', async () => {
    const store = await temp.open();
    const master = randomBytes(32);
    const keystore = new Keystore(store, master);
    const a = await keystore.putSecret('A', 'secret-a-value');
    const b = await keystore.putSecret('B', 'secret-b-value');
    await expect(new Keystore(store, randomBytes(32)).getSecret(a)).rejects.toMatchObject({
      code: 'AUT_DECRYPT_FAILED',
    });
    const rowA = await store.keys.get(a);
    await store.db
      .updateTable('keys')
      .set({ ciphertext: rowA.ciphertext, iv: rowA.iv, tag: rowA.tag })
      .where('id', '=', b)
      .execute();
    await expect(keystore.getSecret(b)).rejects.toMatchObject({ code: 'AUT_DECRYPT_FAILED' });
    await expect(keystore.getKey(a)).rejects.toMatchObject({ code: 'AUT_NOT_FOUND' });
  });
});
