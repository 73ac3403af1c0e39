import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { compileOnce } from '../../src/store/compiled-query.js';

interface Db {
  items: { id: Generated<number>; owner: string; kind: string; rank: number };
}

const dbs: Kysely<Db>[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.destroy()));
});

async function itemsDb(): Promise<Kysely<Db>> {
  const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  dbs.push(db);
  await db.schema
    .createTable('items')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('items')
    .values([
      { owner: 'ann', kind: 'a', rank: 1 },
      { owner: 'ann', kind: 'b', rank: 2 },
      { owner: 'ann', kind: 'a', rank: 3 },
      { owner: 'bob', kind: 'a', rank: 4 },
    ])
    .execute();
  return db;
}

describe('compileOnce', () => {
  it('runs the compiled SQL with each call’s values, keeping the builder’s own constants', async () => {
    const db = await itemsDb();
    // Arguments out of their SQL order, and a constant ('a') between them.
    const build = (limit: number, owner: string, minRank: number) =>
      db
        .selectFrom('items')
        .select(['owner', 'rank'])
        .where('owner', '=', owner)
        .where('kind', '=', 'a')
        .where('rank', '>=', minRank)
        .orderBy('rank')
        .limit(limit);
    const run = compileOnce(db, build);
    const cases: [number, string, number][] = [
      [10, 'ann', 0],
      [1, 'ann', 2],
      [10, 'bob', 0],
      [10, 'nobody', 0],
    ];
    for (const args of cases) {
      expect(await run(...args)).toEqual(await build(...args).execute());
    }
    expect(await run(10, 'ann', 0)).toEqual([
      { owner: 'ann', rank: 1 },
      { owner: 'ann', rank: 3 },
    ]);
  });

  it('refuses a builder that does not pass an argument to the query unchanged', async () => {
    const db = await itemsDb();
    expect(() =>
      compileOnce(db, (rank: number) =>
        db
          .selectFrom('items')
          .selectAll()
          .where('rank', '>', rank + 1),
      ),
    ).toThrow(/argument\(s\) 0 of a query builder/);
    expect(() => compileOnce(db, (_owner: string) => db.selectFrom('items').selectAll())).toThrow(
      /argument\(s\) 0/,
    );
  });
});
