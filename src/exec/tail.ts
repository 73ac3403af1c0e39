/**
 * Keeps the last `limit` bytes of a stream and counts all of them, so a command that prints 50 MB
 * never holds more than `limit` bytes in memory.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.limit <= 0) return;
    const piece = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
    this.chunks.push(Buffer.from(piece));
    this.kept += piece.length;
    while (this.kept > this.limit) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.kept - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.kept -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.kept -= excess;
      }
    }
  }

  /** The kept bytes as UTF-8 (a character cut at the start shows as U+FFFD). */
  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8');
  }
}

export const DEFAULT_TAIL_BYTES = 64 * 1024;
