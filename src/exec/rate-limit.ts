/**
 * A token bucket per target: `burst` commands may go at once, then `perSecond` on average. Callers
 * wait for a token instead of failing, so a busy deploy slows down rather than breaks.
 */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = { perSecond: 50, burst: 100 };

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Serializes waiters so tokens go out in arrival order. */
  queue: Promise<void>;
}

export class TargetRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError(
        `rate limit needs perSecond > 0 and burst >= 1, got ${options.perSecond}/${options.burst}`,
      );
    }
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves with the milliseconds waited once `target` has a token to spend. */
  take(target: string): Promise<number> {
    const bucket = this.bucketFor(target);
    const turn = bucket.queue.then(() => this.takeNow(bucket));
    bucket.queue = turn.then(() => undefined);
    return turn;
  }

  private bucketFor(target: string): Bucket {
    let bucket = this.buckets.get(target);
    if (bucket === undefined) {
      bucket = { tokens: this.options.burst, updatedAt: this.now(), queue: Promise.resolve() };
      this.buckets.set(target, bucket);
    }
    return bucket;
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    const earned = ((now - bucket.updatedAt) / 1000) * this.options.perSecond;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + earned);
    bucket.updatedAt = now;
  }

  private async takeNow(bucket: Bucket): Promise<number> {
    let waited = 0;
    this.refill(bucket);
    while (bucket.tokens < 1) {
      const ms = Math.ceil(((1 - bucket.tokens) / this.options.perSecond) * 1000);
      await this.sleep(ms);
      waited += ms;
      this.refill(bucket);
    }
    bucket.tokens -= 1;
    return waited;
  }
}
