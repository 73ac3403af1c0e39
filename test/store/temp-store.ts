import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

/** Temp data dirs and stores, closed and removed after each test of the calling file. */
export function useTempStores(): { dataDir: () => string; open: (dataDir?: string) => Promise<Store> } {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'automatos-test-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  return {
    dataDir,
    open: async (dir = dataDir()) => {
      const store = await openStore({ dataDir: dir });
      stores.push(store);
      return store;
    },
  };
}
