import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingDatabase } from '../../src/store/statement-cache.js';

describe('the SQLite statement cache', () => {
  it('reuses a prepared statement per SQL text and drops the least recently used past its size', () => {
    const sqlite = new SQLite(':memory:');
    const db = cachingDatabase(sqlite, 2);
    db.prepare('create table t (x integer)').run([]);
    const insert = db.prepare('insert into t (x) values (?)');
    expect(db.prepare('insert into t (x) values (?)')).toBe(insert);
    insert.run([1]);
    insert.run([2]);
    const count = db.prepare('select count(*) as n from t');
    expect(count.all([])).toEqual([{ n: 2 }]);
    // Size 2: insert and count are cached; the create statement was dropped first.
    expect(db.prepare('insert into t (x) values (?)')).toBe(insert);
    db.prepare('select x from t order by x');
    // count was the least recently used of the two: dropped, so preparing it again gives a new one.
    expect(db.prepare('select count(*) as n from t')).not.toBe(count);
    expect(db.prepare('insert into t (x) values (?)')).not.toBe(insert);
    db.close();
    expect(sqlite.open).toBe(false);
  });

  it('keeps working across a schema change', () => {
    const db = cachingDatabase(new SQLite(':memory:'));
    db.prepare('create table t (x integer)').run([]);
    const select = db.prepare('select * from t');
    expect(select.all([])).toEqual([]);
    db.prepare('alter table t add column y text').run([]);
    db.prepare("insert into t (x, y) values (1, 'a')").run([]);
    expect(db.prepare('select * from t').all([])).toEqual([{ x: 1, y: 'a' }]);
    db.close();
  });
});
