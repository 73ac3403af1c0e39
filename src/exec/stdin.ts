import type { Writable } from 'node:stream';
import type { RunOptions } from './types.js';

/** Feeds `stdin` (or nothing: EOF at once) into a process's input; a reader that quits early is fine. */
export function feedStdin(input: RunOptions['stdin'], sink: Writable): void {
  sink.on('error', () => {
    // EPIPE / channel closed: the command stopped reading, which is its right.
  });
  if (input === undefined) {
    sink.end();
  } else if (typeof input === 'string' || Buffer.isBuffer(input)) {
    sink.end(input);
  } else {
    input.on('error', (error: Error) => sink.destroy(error));
    input.pipe(sink);
  }
}
