import type { RunResult } from './types.js';
import { DEFAULT_TAIL_BYTES, TailBuffer } from './tail.js';
import type { RunOptions } from './types.js';

/** Collects one command's output (callbacks + bounded tails) and builds its result. */
export class OutputCollector {
  readonly stdout: TailBuffer;
  readonly stderr: TailBuffer;
  private readonly started = performance.now();

  constructor(private readonly options: RunOptions) {
    const limit = options.tailBytes ?? DEFAULT_TAIL_BYTES;
    this.stdout = new TailBuffer(limit);
    this.stderr = new TailBuffer(limit);
  }

  out(chunk: Buffer): void {
    this.stdout.push(chunk);
    this.options.onStdout?.(chunk);
  }

  err(chunk: Buffer): void {
    this.stderr.push(chunk);
    this.options.onStderr?.(chunk);
  }

  result(
    exitCode: number | null,
    signal: string | null,
    ending: { timedOut: boolean; cancelled: boolean },
  ): RunResult {
    return {
      exitCode,
      signal,
      durationMs: Math.round(performance.now() - this.started),
      stdoutTail: this.stdout.text(),
      stderrTail: this.stderr.text(),
      stdoutBytes: this.stdout.total,
      stderrBytes: this.stderr.total,
      timedOut: ending.timedOut,
      cancelled: ending.cancelled,
    };
  }
}

/**
 * Calls `stop` once when the timeout passes or the signal aborts, and says which happened.
 * `dispose()` must be called when the command ends.
 */
export class Deadline {
  timedOut = false;
  cancelled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.fire('cancelled');

  constructor(
    private readonly options: { timeoutMs?: number; signal?: AbortSignal },
    private readonly stop: () => void,
  ) {
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      this.timer = setTimeout(() => this.fire('timedOut'), options.timeoutMs);
    }
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.fire('cancelled');
  }

  get ended(): boolean {
    return this.timedOut || this.cancelled;
  }

  private fire(kind: 'timedOut' | 'cancelled'): void {
    if (this.ended) return;
    this[kind] = true;
    this.dispose();
    this.stop();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}

export const DEFAULT_KILL_GRACE_MS = 2000;
