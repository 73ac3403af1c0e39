import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001_initial.js';

/** In-code migrations, applied in name order. Never edit a released one: add the next number. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
