import type { AuditRow } from '../store/index.js';
import { checkpointSignatureValid, parseCheckpoint, type Checkpoint } from './checkpoint.js';
import type { CheckpointFile } from './checkpoint-file.js';
import type { AuditKeys } from './keys.js';
import { KEYED_ALG } from './types.js';
import type { AuditProblem, CheckpointSummary } from './verify-result.js';

interface Entry {
  line: number;
  checkpoint: Checkpoint;
}

const short = (hash: string): string => `${hash.slice(0, 12)}…`;

const problem = (
  entry: Entry,
  reason: AuditProblem['reason'],
  message: string,
  id: string | null = entry.checkpoint.id,
): AuditProblem => ({
  check: 'checkpoint',
  reason,
  seq: entry.checkpoint.seq,
  id,
  line: entry.line,
  message,
});

/**
 * Checks the checkpoint file against the log: every line must be a checkpoint whose signature
 * verifies, and the record each one signed must still be there with the same id and hash (a
 * rewrite that recomputed every hash still changes them), the log must reach the newest one (else
 * its tail was deleted), and the keyed chain must still begin where they say.
 */
export class CheckpointChecker {
  readonly problems: AuditProblem[] = [];
  readonly notes: string[] = [];
  private readonly bySeq = new Map<number, Entry[]>();
  private readonly mismatched: Entry[] = [];
  private total = 0;
  private matched = 0;
  private newest: Entry | undefined;
  /** Seq of the first row stored as keyed, trusted or not. */
  private firstKeyed: number | null = null;

  constructor(
    private readonly file: CheckpointFile,
    private readonly keys: AuditKeys | undefined,
  ) {
    const read = file.read();
    this.total = read.lines.length;
    if (read.mode !== null && read.mode !== '600') {
      this.notes.push(
        `The checkpoint file ${file.path} has mode ${read.mode}; it should be 600 (chmod 600 it).`,
      );
    }
    if (read.lines.length > 0 && keys === undefined) {
      this.notes.push('Checkpoints were not checked: this process has no audit key.');
      return;
    }
    for (const { line, text } of read.lines) this.load(line, text);
  }

  /** The newest seq a valid checkpoint signed (0 when none). */
  get signedSeq(): number {
    return this.newest?.checkpoint.seq ?? 0;
  }

  /** Compares a stored row with the checkpoints that signed its seq. */
  see(row: AuditRow): void {
    if (row.alg === KEYED_ALG) this.firstKeyed ??= row.seq;
    for (const entry of this.bySeq.get(row.seq) ?? []) {
      if (entry.checkpoint.id === row.id && entry.checkpoint.hash === row.hash) this.matched += 1;
      else this.mismatched.push(entry);
    }
  }

  /** After the walk, given the last seq in the log. */
  finish(lastSeq: number): CheckpointSummary {
    const keyedFrom = this.firstKeyed;
    const [first, ...more] = this.mismatched;
    if (first !== undefined) {
      const { seq, at, hash } = first.checkpoint;
      this.problems.push(
        problem(
          first,
          'checkpoint_mismatch',
          `Record ${seq} is not the record the checkpoint of line ${first.line} signed at ${at} ` +
            `(hash ${short(hash)}): it was rewritten after the checkpoint, even if every hash after it was recomputed` +
            (more.length > 0 ? `; ${more.length} later checkpoint(s) no longer match either.` : '.'),
        ),
      );
    }
    const downgraded = [...this.bySeq.values()]
      .flat()
      .find((e) => e.checkpoint.keyedFrom !== null && e.checkpoint.keyedFrom !== keyedFrom);
    if (downgraded !== undefined) {
      this.problems.push(
        problem(
          downgraded,
          'downgrade',
          `The checkpoint of line ${downgraded.line} says the keyed chain began at record ${downgraded.checkpoint.keyedFrom}, ` +
            `but ${keyedFrom === null ? 'the log has no keyed record' : `the log's keyed chain begins at record ${keyedFrom}`}: ` +
            'keyed records were rewritten as unkeyed ones.',
          null,
        ),
      );
    }
    const newest = this.newest;
    if (newest !== undefined && newest.checkpoint.seq > lastSeq) {
      const { seq, at } = newest.checkpoint;
      const gone = lastSeq + 1 === seq ? `record ${seq} was` : `records ${lastSeq + 1}..${seq} were`;
      this.problems.push(
        problem(
          newest,
          'truncated',
          `The checkpoint of line ${newest.line} signed record ${seq} at ${at}, but the log ends at record ${lastSeq}: ${gone} deleted.`,
        ),
      );
    }
    return {
      file: this.file.path,
      total: this.total,
      verified: this.matched,
      last: newest === undefined ? null : { seq: newest.checkpoint.seq, at: newest.checkpoint.at },
      publicKey: this.keys?.publicKey ?? null,
      written: null,
    };
  }

  private load(line: number, text: string): void {
    const parsed = parseCheckpoint(text);
    if (!parsed.ok) {
      this.problems.push({
        check: 'checkpoint',
        reason: 'checkpoint_invalid',
        seq: null,
        id: null,
        line,
        message: `Line ${line} of the checkpoint file is not a checkpoint (${parsed.why}).`,
      });
      return;
    }
    const entry = { line, checkpoint: parsed.checkpoint };
    if (this.keys === undefined || !checkpointSignatureValid(this.keys, parsed.checkpoint)) {
      this.problems.push(
        problem(
          entry,
          'checkpoint_signature',
          `The signature of the checkpoint of line ${line} (record ${parsed.checkpoint.seq}) does not verify: ` +
            'the line was forged or altered, or it was signed with another master key.',
        ),
      );
      return;
    }
    const list = this.bySeq.get(entry.checkpoint.seq) ?? [];
    list.push(entry);
    this.bySeq.set(entry.checkpoint.seq, list);
    if (this.newest === undefined || entry.checkpoint.seq > this.newest.checkpoint.seq) this.newest = entry;
  }
}
