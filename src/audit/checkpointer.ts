import { AutomatosError } from '../core/index.js';
import type { AuditRow } from '../store/index.js';
import { signCheckpoint, type Checkpoint, type CheckpointReason } from './checkpoint.js';
import { CheckpointFile } from './checkpoint-file.js';
import type { AuditKeys } from './keys.js';

export interface CheckpointOptions {
  /** The append-only file (`checkpointPath(dataDir)`: DATA_DIR/audit/checkpoints.log). */
  file: string;
  /** Sign a checkpoint whenever the appended record's seq is a multiple of this. Default 100. */
  every?: number;
  /** Told when a checkpoint cannot be written (the record itself is stored). Default: a process warning. */
  onError?: (error: AutomatosError) => void;
}

export const DEFAULT_CHECKPOINT_EVERY = 100;

type Signed = Pick<AuditRow, 'seq' | 'id' | 'hash'> & { keyedFrom: number | null };

/**
 * Signs checkpoints of records this process appended: when the keyed chain begins, at every
 * `every`-th seq (one process writes each, whichever appended that seq), on `audit verify` and on
 * close. A checkpoint only ever signs a record this process sealed or verified.
 */
export class Checkpointer {
  readonly file: CheckpointFile;
  private readonly every: number;
  private readonly onError: (error: AutomatosError) => void;
  private last: Signed | undefined;
  private signedSeq = 0;

  constructor(
    private readonly keys: AuditKeys,
    options: CheckpointOptions,
    private readonly now: () => Date,
  ) {
    const every = options.every ?? DEFAULT_CHECKPOINT_EVERY;
    if (!Number.isInteger(every) || every < 1) {
      throw new AutomatosError(
        'AUT_INVALID_INPUT',
        `The audit checkpoint interval must be a positive integer, got ${every}.`,
      );
    }
    this.every = every;
    this.file = new CheckpointFile(options.file);
    this.onError =
      options.onError ??
      ((error) => process.emitWarning(error.message, { code: error.code, type: 'AutomatosWarning' }));
  }

  /** After a keyed append commits. */
  appended(row: AuditRow, keyedFrom: number | null, started: boolean): void {
    this.last = { seq: row.seq, id: row.id, hash: row.hash, keyedFrom };
    if (started) this.tryWrite('chain-start', this.last);
    else if (row.seq % this.every === 0) this.tryWrite('interval', this.last);
  }

  close(): void {
    if (this.last !== undefined && this.last.seq > this.signedSeq) this.tryWrite('close', this.last);
  }

  /** Signs and appends one checkpoint; throws AUT_IO when the file cannot be written. */
  write(reason: CheckpointReason, signed: Signed): Checkpoint {
    const checkpoint = signCheckpoint(this.keys, {
      v: 1,
      seq: signed.seq,
      id: signed.id,
      hash: signed.hash,
      count: signed.seq,
      keyedFrom: signed.keyedFrom,
      at: this.now().toISOString(),
      reason,
    });
    this.file.append(checkpoint);
    this.signedSeq = Math.max(this.signedSeq, signed.seq);
    return checkpoint;
  }

  private tryWrite(reason: CheckpointReason, signed: Signed): void {
    try {
      this.write(reason, signed);
    } catch (error) {
      this.onError(
        error instanceof AutomatosError
          ? error
          : new AutomatosError(
              'AUT_INTERNAL',
              `Cannot sign an audit checkpoint: ${(error as Error).message}`,
            ),
      );
    }
  }
}
