import { resolveDataDir } from '../core/index.js';
import type { Io } from './io.js';

export interface GlobalOptions {
  dataDir?: string;
}

/** What every command receives: where to write, and the resolved global settings. */
export interface CommandContext {
  io: Io;
  dataDir: string;
}

export function contextFor(io: Io, globals: GlobalOptions): CommandContext {
  return { io, dataDir: resolveDataDir(globals.dataDir, io.env) };
}
