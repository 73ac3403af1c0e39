import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001_initial.js';
import { workflows } from './0002_workflows.js';
import { monitoring } from './0003_monitoring.js';
import { apiKeys } from './0004_api_keys.js';
import { repositories } from './0005_repositories.js';
import { tier2 } from './0006_tier2.js';
import { auditKeyed } from './0007_audit_keyed.js';
import { targetSandbox } from './0008_target_sandbox.js';

/** In-code migrations, applied in name order. Never edit a released one: add the next number. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_workflows': workflows,
  '0003_monitoring': monitoring,
  '0004_api_keys': apiKeys,
  '0005_repositories': repositories,
  '0006_tier2': tier2,
  '0007_audit_keyed': auditKeyed,
  '0008_target_sandbox': targetSandbox,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
