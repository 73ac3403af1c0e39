import type { AuditHead, AuditRepo, AuditRow } from '../store/index.js';
import type { CheckpointFile } from './checkpoint-file.js';
import { headText } from './event.js';
import type { AuditKeys } from './keys.js';
import { ChainWalker } from './verify-chain.js';
import { CheckpointChecker } from './verify-checkpoints.js';
import type { AuditProblem, CheckpointSummary, VerifyResult } from './verify-result.js';

const BATCH = 1000;

export interface VerifyOptions {
  keys?: AuditKeys | undefined;
  checkpoints?: CheckpointFile | undefined;
}

export interface Verified {
  result: VerifyResult;
  /** The last record, when the whole log verified: what a new checkpoint may sign. */
  last: Pick<AuditRow, 'seq' | 'id' | 'hash'> | null;
  /** The newest seq a valid checkpoint already signed (0 when none). */
  signedSeq: number;
}

const headProblem = (seq: number | null, reason: AuditProblem['reason'], message: string): AuditProblem => ({
  check: 'head',
  reason,
  seq,
  id: null,
  line: null,
  message,
});

/**
 * The head row (last seq and hash, written in the same transaction as each append) catches records
 * deleted from the end and records appended behind Automatos' back; its MAC, that it was not
 * rewound or moved without the key. Only the MAC is checked after a break of the chain.
 */
function checkHead(
  head: AuditHead | undefined,
  walker: ChainWalker,
  keys: AuditKeys | undefined,
): AuditProblem[] {
  if (head === undefined) return [headProblem(null, 'head_mismatch', 'The audit head row is missing.')];
  const problems: AuditProblem[] = [];
  const keyedFrom = walker.keyedFrom ?? head.keyedFrom;
  if (keyedFrom !== null && keys !== undefined) {
    if (head.mac === null) {
      problems.push(
        headProblem(
          head.seq,
          'head_mismatch',
          `The head row is not sealed although the keyed chain began at record ${keyedFrom}: it was rewritten.`,
        ),
      );
    } else if (!keys.macMatches(headText(head), head.mac)) {
      problems.push(
        headProblem(
          head.seq,
          'head_mismatch',
          'The head row was rewritten: its MAC does not match its seq, hash and keyed_from.',
        ),
      );
    }
  }
  if (walker.broken !== undefined) return problems;
  const count = walker.count;
  if (walker.keyedFrom !== null && head.keyedFrom !== walker.keyedFrom) {
    problems.push(
      headProblem(
        walker.keyedFrom,
        'head_mismatch',
        `The keyed chain begins at record ${walker.keyedFrom}, but the head says ${head.keyedFrom === null ? 'it has not begun' : `record ${head.keyedFrom}`}.`,
      ),
    );
  }
  if (head.seq > count) {
    problems.push(
      headProblem(
        count + 1,
        'truncated',
        `The log ends at record ${count} but ${head.seq} were appended: the last records were deleted.`,
      ),
    );
  } else if (head.seq < count) {
    problems.push(
      headProblem(
        head.seq + 1,
        'head_mismatch',
        `Records after ${head.seq} were not appended by Automatos (the head is at ${head.seq}, the chain at ${count}).`,
      ),
    );
  } else if (head.hash !== walker.lastHash) {
    problems.push(headProblem(count, 'head_mismatch', `The head hash does not match record ${count}.`));
  }
  return problems;
}

function legacyNote(walker: ChainWalker, keys: AuditKeys | undefined): string[] {
  const n = walker.legacy;
  if (n === 0) return [];
  const records = n === 1 ? '1 record' : `${n} records`;
  if (walker.keyedFrom !== null) {
    return [
      `${records} before the keyed chain began ${n === 1 ? 'is' : 'are'} unkeyed (plain SHA-256, written before ` +
        `the keyed chain); record ${walker.keyedFrom}, the first keyed one, seals them.`,
    ];
  }
  return [
    `${records} ${n === 1 ? 'is' : 'are'} unkeyed (plain SHA-256): ` +
      (keys === undefined
        ? 'this log has no audit key.'
        : 'the keyed chain begins with the next record appended.'),
  ];
}

/** Walks the chain in seq order, then checks the head row and the checkpoint file against it. */
export async function verifyLog(repo: AuditRepo, options: VerifyOptions): Promise<Verified> {
  const { keys, checkpoints: file } = options;
  const startHead = await repo.head();
  const walker = new ChainWalker(keys, startHead?.keyedFrom ?? null);
  const checker = file === undefined ? undefined : new CheckpointChecker(file, keys);
  let last: AuditRow | undefined;
  for (let after = 0; ;) {
    const rows = await repo.scan(after, BATCH);
    for (const row of rows) {
      walker.step(row);
      checker?.see(row);
      last = row;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]?.seq ?? after;
  }
  const head = await repo.head();
  const problems = [
    ...(walker.broken === undefined ? [] : [walker.broken]),
    ...checkHead(head, walker, keys),
  ];
  for (const problem of problems) {
    // Records behind the head: name the first one that Automatos did not append.
    if (
      problem.check === 'head' &&
      head !== undefined &&
      problem.seq === head.seq + 1 &&
      walker.count > head.seq
    ) {
      problem.id = (await repo.scan(head.seq, 1))[0]?.id ?? null;
    }
  }
  const summary: CheckpointSummary = checker?.finish(walker.lastSeq) ?? {
    file: null,
    total: 0,
    verified: 0,
    last: null,
    publicKey: keys?.publicKey ?? null,
    written: null,
  };
  problems.push(...(checker?.problems ?? []));
  const notes = [...legacyNote(walker, keys), ...(checker?.notes ?? [])];
  const result: VerifyResult = {
    ok: problems.length === 0,
    count: walker.count,
    head: head === undefined ? null : { seq: head.seq, hash: head.hash },
    keyedFrom: walker.keyedFrom,
    legacy: walker.legacy,
    firstBroken: problems[0] ?? null,
    problems,
    checkpoints: summary,
    notes,
  };
  return {
    result,
    last: result.ok && last !== undefined ? { seq: last.seq, id: last.id, hash: last.hash } : null,
    signedSeq: checker?.signedSeq ?? 0,
  };
}
