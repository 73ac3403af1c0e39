import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from '../io.js';

/**
 * What to send as `repository_url`: a git URL as given; a directory that exists here as its absolute
 * path, so that a server on this machine started with --allow-local-sources reads the directory the
 * operator meant (any other server refuses it, and its answer says so).
 */
export async function sourceForServer(io: Io, source: string): Promise<string> {
  const local = resolve(io.cwd, source);
  try {
    return (await stat(local)).isDirectory() ? local : source;
  } catch {
    return source;
  }
}
