import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../errors.js';

/** Requests allowed per window; the window is in seconds. */
export interface Limit {
  points: number;
  duration: number;
}

export interface RateLimitOptions {
  /** Every request, per client IP (default 600 per minute). */
  perIp?: Limit;
  /** Every authenticated request, per key (default 600 per minute). */
  perKey?: Limit;
  /** `POST /execute`, per key (default 30 per minute): each one runs a command on a host. */
  execute?: Limit;
  /** Failed authentications per IP (default 10 per 5 minutes); beyond it the IP gets 429. */
  authFailures?: Limit;
}

const DEFAULTS: Required<RateLimitOptions> = {
  perIp: { points: 600, duration: 60 },
  perKey: { points: 600, duration: 60 },
  execute: { points: 30, duration: 60 },
  authFailures: { points: 10, duration: 300 },
};

function limited(res: RateLimiterRes, what: string): HttpError {
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new HttpError(
    429,
    'AUT_RATE_LIMITED',
    `too many ${what}; retry in ${seconds}s`,
    { retry_after_seconds: seconds },
    { 'retry-after': String(seconds) },
  );
}

async function take(limiter: RateLimiterMemory, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw limited(error, what);
    throw error;
  }
}

/**
 * In-memory limits of one process (rate-limiter-flexible; a Redis store fits behind the same
 * calls when the API is scaled out).
 */
export class RateLimits {
  private readonly ip: RateLimiterMemory;
  private readonly key: RateLimiterMemory;
  private readonly exec: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;

  constructor(options: RateLimitOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    this.ip = new RateLimiterMemory({ keyPrefix: 'ip', ...o.perIp });
    this.key = new RateLimiterMemory({ keyPrefix: 'key', ...o.perKey });
    this.exec = new RateLimiterMemory({ keyPrefix: 'exec', ...o.execute });
    this.failures = new RateLimiterMemory({ keyPrefix: 'fail', ...o.authFailures });
  }

  request(ip: string): Promise<void> {
    return take(this.ip, ip, 'requests from this address');
  }

  authenticated(keyId: string): Promise<void> {
    return take(this.key, keyId, 'requests with this key');
  }

  execute(keyId: string): Promise<void> {
    return take(this.exec, keyId, 'commands with this key');
  }

  /** Refuses an address that has failed authentication too often, before it tries again. */
  async checkFailures(ip: string): Promise<void> {
    const res = await this.failures.get(ip);
    const points = this.failures.points;
    if (res !== null && res.consumedPoints >= points) throw limited(res, 'failed authentications');
  }

  async recordFailure(ip: string): Promise<void> {
    await this.failures.penalty(ip, 1);
  }
}
