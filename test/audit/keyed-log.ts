import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AuditLog, checkpointPath, deriveAuditKeys, type AuditKeys } from '../../src/audit/index.js';
import { DATABASE_FILE, type Store } from '../../src/store/index.js';
import { useTempStores } from '../store/temp-store.js';

export interface KeyedLog {
  store: Store;
  log: AuditLog;
  keys: AuditKeys;
  dataDir: string;
  /** The SQLite file, for an attacker who opens it directly. */
  dbFile: string;
  checkpoints: string;
  /** Another AuditLog on the same store, keys and checkpoint file (a second process). */
  reopen: () => AuditLog;
}

/** A keyed audit log as the orchestrator builds it: master-key-derived keys, checkpoints in the data dir. */
export function useKeyedLogs(): (options?: { every?: number; master?: Buffer }) => Promise<KeyedLog> {
  const temp = useTempStores();
  return async ({ every = 50, master = randomBytes(32) } = {}) => {
    const dataDir = temp.dataDir();
    const store = await temp.open(dataDir);
    const keys = deriveAuditKeys(master);
    const checkpoints = checkpointPath(dataDir);
    const reopen = (): AuditLog => new AuditLog(store, { keys, checkpoints: { file: checkpoints, every } });
    return { store, log: reopen(), keys, dataDir, dbFile: join(dataDir, DATABASE_FILE), checkpoints, reopen };
  };
}

export const step = (i: number) => ({
  principal: 'bob',
  source: 'engine' as const,
  action: 'exec',
  target: 'web',
  command: `step ${i}`,
});

export async function appendSteps(log: AuditLog, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i += 1) await log.append(step(i));
}
