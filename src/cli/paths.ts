import { relative, resolve } from 'node:path';
import type { Io } from './io.js';

export const resolveFrom = (io: Io, path: string | undefined): string => resolve(io.cwd, path ?? '.');

/** Paths in messages are relative to where the operator stands, as compilers print them. */
export function displayPath(io: Io, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
