import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_KEY_ROW_TTL_MS } from '../../src/store/api-keys-repo.js';
import type { NewApiKey } from '../../src/store/index.js';
import { useTempStores } from './temp-store.js';

const key = (id: string): NewApiKey => ({
  id,
  name: `key ${id}`,
  role: 'operator',
  targets: null,
  grants: [],
  digest: 'ab'.repeat(32),
});

describe('API key rows kept for authentication', () => {
  const temp = useTempStores();
  afterEach(() => vi.useRealTimers());

  it('sees a revocation made through the same store at once', async () => {
    const store = await temp.open();
    await store.apiKeys.create(key('k1'));
    expect((await store.apiKeys.find('k1'))?.revokedAt).toBeNull();
    await store.apiKeys.revoke('k1', '2026-06-01T00:00:00.000Z');
    expect((await store.apiKeys.find('k1'))?.revokedAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('sees a revocation by another process within API_KEY_ROW_TTL_MS', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const dataDir = temp.dataDir();
    const server = await temp.open(dataDir);
    const cli = await temp.open(dataDir);
    await server.apiKeys.create(key('k1'));
    expect((await server.apiKeys.find('k1'))?.revokedAt).toBeNull();
    await cli.apiKeys.revoke('k1', '2026-06-01T00:00:00.000Z');
    vi.advanceTimersByTime(API_KEY_ROW_TTL_MS);
    expect((await server.apiKeys.find('k1'))?.revokedAt).toBe('2026-06-01T00:00:00.000Z');
  });

  it('does not remember ids that do not exist', async () => {
    const dataDir = temp.dataDir();
    const server = await temp.open(dataDir);
    const cli = await temp.open(dataDir);
    expect(await server.apiKeys.find('k1')).toBeUndefined();
    await cli.apiKeys.create(key('k1'));
    expect((await server.apiKeys.find('k1'))?.id).toBe('k1');
  });
});
