import { AutomatosError } from '../core/index.js';
import type { AuditHead, AuditRepo } from '../store/index.js';
import { headText } from './event.js';
import type { AuditKeys } from './keys.js';
import { KEYED_ALG } from './types.js';

const tampered = (why: string): AutomatosError =>
  new AutomatosError(
    'AUT_STORE',
    `The audit head row was tampered with (${why}): refusing to append to the audit log. ` +
      'Run `automatos audit verify`; if the master key changed, restore the one the log was written with.',
    { details: { why } },
  );

/**
 * Before a keyed log appends, under the head lock: a sealed head must carry a valid MAC, and a
 * head that lost its seal (keyed_from set, or a keyed chain seen before) is a rewound one. A log
 * without keys refuses to append to a keyed chain rather than downgrade it.
 */
export function guardHead(head: AuditHead, keys: AuditKeys | undefined, sawKeyed: boolean): void {
  if (keys === undefined) {
    if (head.keyedFrom !== null || head.mac !== null) {
      throw new AutomatosError(
        'AUT_STORE',
        `The audit log is keyed since record ${head.keyedFrom ?? '?'} and this process has no audit key: ` +
          'refusing to append an unkeyed record to it.',
      );
    }
    return;
  }
  if (head.mac !== null) {
    if (!keys.macMatches(headText(head), head.mac))
      throw tampered('its MAC does not match its seq, hash and keyed_from');
    return;
  }
  if (head.keyedFrom !== null || sawKeyed) throw tampered('it is not sealed although the keyed chain began');
}

/**
 * Whether the keyed chain has begun, read once before a log's first append: a sealed head, or a
 * last record that is keyed (a head whose seal was stripped then fails `guardHead`).
 */
export async function startedKeyed(repo: AuditRepo): Promise<boolean> {
  const head = await repo.head();
  if (head === undefined) return false;
  if (head.mac !== null) return true;
  if (head.seq === 0) return false;
  const [last] = await repo.scan(head.seq - 1, 1);
  return last?.alg === KEYED_ALG;
}
