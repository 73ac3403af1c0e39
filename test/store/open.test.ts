import { statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { useTempStores } from './temp-store.js';

describe('openStore', () => {
  const temp = useTempStores();

  it('creates the data dir 0700 and a private WAL database with foreign keys on', async () => {
    const dataDir = temp.dataDir();
    const store = await temp.open(dataDir);
    expect(store.file).toBe(join(dataDir, 'automatos.db'));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    const pragma = async (name: string): Promise<unknown> =>
      Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(store.dialect).toBe('sqlite');
  });

  // Migrations on open and their idempotence: store.contract.ts (SQLite and PostgreSQL).

  it('opens an explicit file path', async () => {
    const dir = temp.dataDir();
    const store = await openStore({ file: join(dir, 'nested', 'x.db') });
    expect(store.file).toBe(join(dir, 'nested', 'x.db'));
    await store.close();
  });

  it('turns a file that is not a database into AUT_STORE with the path', async () => {
    const dataDir = temp.dataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'automatos.db'), 'this is not sqlite'.repeat(100));
    await expect(openStore({ dataDir })).rejects.toMatchObject({
      code: 'AUT_STORE',
      message: expect.stringContaining(join(dataDir, 'automatos.db')),
    });
  });
});
