import type { AuditRepo, AuditRow } from '../store/index.js';
import { eventFromRow, hashEvent } from './event.js';
import { ZERO_HASH, type AuditBreakReason, type VerifyResult } from './types.js';

const BATCH = 1000;

type Break = { reason: AuditBreakReason; message: string } | undefined;

function checkRow(row: AuditRow, expectedSeq: number, prevHash: string): Break {
  if (row.seq !== expectedSeq) {
    const missing = row.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq}..${row.seq - 1}`;
    return { reason: 'sequence_gap', message: `Record ${missing} is missing before record ${row.seq}.` };
  }
  let computed: string;
  try {
    computed = hashEvent(eventFromRow(row));
  } catch (error) {
    return {
      reason: 'invalid_record',
      message: `Record ${row.seq} cannot be read: ${(error as Error).message}`,
    };
  }
  if (row.prevHash !== prevHash) {
    return {
      reason: 'prev_hash_mismatch',
      message: `Record ${row.seq} does not link to record ${row.seq - 1}: a record was replaced, reordered or inserted.`,
    };
  }
  if (computed !== row.hash) {
    return {
      reason: 'hash_mismatch',
      message: `Record ${row.seq} was modified: its content does not match its hash.`,
    };
  }
  return undefined;
}

/**
 * Walks the chain in seq order, then compares its end with the head row. The chain alone catches
 * modified, inserted, reordered and deleted-in-the-middle records; the head (last seq and hash,
 * written in the same transaction as each append) catches records deleted from the end and
 * records appended behind Automatos' back.
 */
export async function verifyChain(repo: AuditRepo): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = ZERO_HASH;
  let count = 0;
  for (;;) {
    const rows = await repo.scan(expectedSeq - 1, BATCH);
    for (const row of rows) {
      const broken = checkRow(row, expectedSeq, prevHash);
      if (broken !== undefined)
        return { ok: false, count, firstBroken: { seq: row.seq, id: row.id, ...broken } };
      count += 1;
      expectedSeq += 1;
      prevHash = row.hash;
    }
    if (rows.length < BATCH) break;
  }
  return compareHead(repo, count, prevHash);
}

async function compareHead(repo: AuditRepo, count: number, lastHash: string): Promise<VerifyResult> {
  const head = await repo.head();
  const broken = (
    seq: number,
    id: string | null,
    reason: AuditBreakReason,
    message: string,
  ): VerifyResult => ({
    ok: false,
    count,
    firstBroken: { seq, id, reason, message },
  });
  if (head === undefined) return broken(count, null, 'head_mismatch', 'The audit head row is missing.');
  if (head.seq > count) {
    return broken(
      count + 1,
      null,
      'truncated',
      `The log ends at record ${count} but ${head.seq} were appended: the last records were deleted.`,
    );
  }
  if (head.seq < count) {
    const [extra] = await repo.scan(head.seq, 1);
    return broken(
      head.seq + 1,
      extra?.id ?? null,
      'head_mismatch',
      `Records after ${head.seq} were not appended by Automatos (the head is at ${head.seq}, the chain at ${count}).`,
    );
  }
  if (head.hash !== lastHash) {
    return broken(count, null, 'head_mismatch', `The head hash does not match record ${count}.`);
  }
  return { ok: true, count, head: { seq: head.seq, hash: head.hash } };
}
