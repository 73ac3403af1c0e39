import { resolveDataDir } from '../core/index.js';
import type { Io } from './io.js';

export interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
}

/** What every command receives: where to write, and the resolved global settings. */
export interface CommandContext {
  io: Io;
  dataDir: string;
  /** PostgreSQL instead of the data dir's SQLite file; from `--database-url` or AUTOMATOS_DATABASE_URL. */
  databaseUrl: string | undefined;
  /**
   * `--data-dir` or `--database-url` when given on the command line: they ask for the embedded
   * store, which contradicts AUTOMATOS_URL, so remote mode refuses them rather than ignoring them.
   */
  storeOption: '--data-dir' | '--database-url' | undefined;
}

export function contextFor(io: Io, globals: GlobalOptions): CommandContext {
  const databaseUrl = globals.databaseUrl ?? io.env['AUTOMATOS_DATABASE_URL'];
  return {
    io,
    dataDir: resolveDataDir(globals.dataDir, io.env),
    databaseUrl: databaseUrl === undefined || databaseUrl === '' ? undefined : databaseUrl,
    storeOption:
      globals.dataDir !== undefined
        ? '--data-dir'
        : globals.databaseUrl !== undefined
          ? '--database-url'
          : undefined,
  };
}
