import { describe, expect, it } from 'vitest';
import { useTempStores } from './temp-store.js';

const web = { name: 'web-1', host: '10.0.0.5', user: 'deploy', auth: { kind: 'agent' as const } };

describe('TargetsRepo', () => {
  const temp = useTempStores();

  it('creates with defaults and reads back', async () => {
    const store = await temp.open();
    const created = await store.targets.create({ ...web, labels: { role: 'web' } });
    expect(created).toMatchObject({
      name: 'web-1',
      host: '10.0.0.5',
      port: 22,
      user: 'deploy',
      auth: { kind: 'agent' },
      hostKeyFingerprint: null,
      policyProfile: 'standard',
      root: null,
      labels: { role: 'web' },
    });
    expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await store.targets.get('web-1')).toEqual(created);
    expect(await store.targets.find('nope')).toBeUndefined();
  });

  it('refuses a duplicate name with AUT_CONFLICT', async () => {
    const store = await temp.open();
    await store.targets.create(web);
    await expect(store.targets.create({ ...web, host: 'other' })).rejects.toMatchObject({
      code: 'AUT_CONFLICT',
      message: 'A target named "web-1" already exists.',
    });
    expect((await store.targets.get('web-1')).host).toBe('10.0.0.5');
  });

  it('reports a missing target with AUT_NOT_FOUND on get, update and remove', async () => {
    const store = await temp.open();
    for (const call of [
      () => store.targets.get('ghost'),
      () => store.targets.update('ghost', { port: 2222 }),
      () => store.targets.remove('ghost'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'AUT_NOT_FOUND', details: { target: 'ghost' } });
    }
  });

  it('lists by name, updates a patch and removes', async () => {
    const store = await temp.open();
    await store.targets.create({ ...web, name: 'b' });
    await store.targets.create({ ...web, name: 'a' });
    expect((await store.targets.list()).map((t) => t.name)).toEqual(['a', 'b']);

    const updated = await store.targets.update('a', {
      port: 2222,
      hostKeyFingerprint: 'SHA256:abc',
      root: undefined,
      labels: { env: 'prod' },
    });
    expect(updated).toMatchObject({
      name: 'a',
      port: 2222,
      hostKeyFingerprint: 'SHA256:abc',
      labels: { env: 'prod' },
    });
    expect(await store.targets.get('a')).toEqual(updated);

    await store.targets.remove('a');
    expect((await store.targets.list()).map((t) => t.name)).toEqual(['b']);
  });

  it('links key auth to a stored key and refuses an unknown key id', async () => {
    const store = await temp.open();
    await expect(
      store.targets.create({ ...web, auth: { kind: 'key', keyId: 'key_missing' } }),
    ).rejects.toMatchObject({
      code: 'AUT_NOT_FOUND',
    });
    await store.keys.insert({
      id: 'key_1',
      kind: 'ssh_private_key',
      name: 'k',
      ciphertext: 'AA==',
      iv: 'AA==',
      tag: 'AA==',
    });
    const target = await store.targets.create({ ...web, auth: { kind: 'key', keyId: 'key_1' } });
    expect(target.auth).toEqual({ kind: 'key', keyId: 'key_1' });
    await expect(store.keys.remove('key_1')).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
  });
});
