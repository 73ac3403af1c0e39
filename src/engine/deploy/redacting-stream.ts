import { StringDecoder } from 'node:string_decoder';
import type { Redactor } from '../../security/index.js';

const MAX_PENDING = 64 * 1024;

/**
 * Output arrives in arbitrary chunks: a secret (or a UTF-8 character) split across two of them
 * would escape a per-chunk redaction. Whole lines are redacted and emitted; the rest waits for its
 * newline, for `end()`, or for 64 KiB without one.
 */
export function redactingStream(shown: Redactor, emit: (text: string) => void) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return {
    write(chunk: Buffer): void {
      pending += decoder.write(chunk);
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        emit(shown(pending.slice(0, cut + 1)));
        pending = pending.slice(cut + 1);
      } else if (pending.length > MAX_PENDING) {
        emit(shown(pending));
        pending = '';
      }
    },
    end(): void {
      pending += decoder.end();
      if (pending !== '') emit(shown(pending));
      pending = '';
    },
  };
}
