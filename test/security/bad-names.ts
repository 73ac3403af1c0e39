import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** Names that would reach outside an app's directory or break a line, for apps and secrets alike. */
export const BAD_NAMES: readonly string[] = [
  '../../etc',
  'a/b',
  '..',
  '.env\n',
  '.',
  '/etc/passwd',
  'a\u0000b',
  'name with space',
  'x'.repeat(200),
];

/** Rows of the secrets and keys tables, read from the database file itself. */
export function secretRows(dataDir: string): { secrets: number; keys: number } {
  const db = new SQLite(join(dataDir, 'automatos.db'), { readonly: true });
  try {
    const count = (table: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { secrets: count('app_secrets'), keys: count("keys WHERE kind = 'secret'") };
  } finally {
    db.close();
  }
}
