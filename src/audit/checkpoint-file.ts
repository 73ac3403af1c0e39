import {
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { AutomatosError } from '../core/index.js';
import { formatCheckpoint, type Checkpoint } from './checkpoint.js';

/** Where a data dir keeps its checkpoints: outside the database, next to it. */
export const checkpointPath = (dataDir: string): string => join(dataDir, 'audit', 'checkpoints.log');

export interface CheckpointLines {
  exists: boolean;
  /** Non-empty lines with their 1-based line numbers. */
  lines: Array<{ line: number; text: string }>;
  /** Octal permission bits, when the file exists. */
  mode: string | null;
}

/**
 * The append-only checkpoint file: one JSON line per checkpoint, mode 0600 in a 0700 directory,
 * written with O_APPEND in a single write (lines of concurrent writers never interleave) and fsynced.
 */
export class CheckpointFile {
  constructor(readonly path: string) {}

  append(checkpoint: Checkpoint): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const fd = openSync(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
      try {
        writeSync(fd, formatCheckpoint(checkpoint));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw new AutomatosError(
        'AUT_IO',
        `Cannot append an audit checkpoint to ${this.path}: ${(error as Error).message}`,
        { details: { path: this.path }, cause: error },
      );
    }
  }

  read(): CheckpointLines {
    let text: string;
    let mode: string;
    try {
      mode = (statSync(this.path).mode & 0o777).toString(8).padStart(3, '0');
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, lines: [], mode: null };
      throw new AutomatosError(
        'AUT_IO',
        `Cannot read the audit checkpoint file ${this.path}: ${(error as Error).message}`,
        { details: { path: this.path }, cause: error },
      );
    }
    const lines = text
      .split('\n')
      .map((line, index) => ({ line: index + 1, text: line.trim() }))
      .filter((entry) => entry.text !== '');
    return { exists: true, lines, mode };
  }
}
