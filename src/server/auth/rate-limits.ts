import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../errors.js';

/** Requests allowed per window; the window is in seconds. */
export interface Limit {
  points: number;
  duration: number;
}

/** When failed authentications stop being audited one by one. */
export interface FailureAuditOptions {
  /** Failures per address per window audited one record each (default 20). */
  threshold: number;
  /** The window, in seconds (default 60): beyond the threshold, one counted record per window. */
  window: number;
}

export interface RateLimitOptions {
  /** Every request, per client IP (default 600 per minute). */
  perIp?: Limit;
  /** Every authenticated request, per key (default 600 per minute). */
  perKey?: Limit;
  /** `POST /execute`, per key (default 30 per minute): each one runs a command on a host. */
  execute?: Limit;
  /**
   * Failed authentications per address (default 10 per 5 minutes); beyond it a failing request
   * gets 429 instead of 401. A request with a valid key is never refused by it.
   */
  authFailures?: Limit;
  /** Failed authentications per presented key id (`atm_<id>_…`), from any address (default as above). */
  authFailuresPerKey?: Limit;
  /** Aggregation of the audit records of failed authentications. */
  failureAudit?: FailureAuditOptions;
}

const DEFAULTS: Required<Omit<RateLimitOptions, 'authFailuresPerKey'>> = {
  perIp: { points: 600, duration: 60 },
  perKey: { points: 600, duration: 60 },
  execute: { points: 30, duration: 60 },
  authFailures: { points: 10, duration: 300 },
  failureAudit: { threshold: 20, window: 60 },
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
  readonly failureAudit: FailureAuditOptions;
  private readonly ip: RateLimiterMemory;
  private readonly key: RateLimiterMemory;
  private readonly exec: RateLimiterMemory;
  private readonly failuresByIp: RateLimiterMemory;
  private readonly failuresByKey: RateLimiterMemory;

  constructor(options: RateLimitOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    this.ip = new RateLimiterMemory({ keyPrefix: 'ip', ...o.perIp });
    this.key = new RateLimiterMemory({ keyPrefix: 'key', ...o.perKey });
    this.exec = new RateLimiterMemory({ keyPrefix: 'exec', ...o.execute });
    this.failuresByIp = new RateLimiterMemory({ keyPrefix: 'fail-ip', ...o.authFailures });
    this.failuresByKey = new RateLimiterMemory({
      keyPrefix: 'fail-key',
      ...(options.authFailuresPerKey ?? o.authFailures),
    });
    this.failureAudit = o.failureAudit;
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

  /**
   * Counts one failed authentication against the address and the presented key id (null when the
   * request carried no well-formed key). Returns the 429 to answer instead of 401 when either is
   * over its limit, or null. Only ever called for a request whose key did not authenticate, so a
   * valid key is never refused here, whatever others sent from the same address.
   */
  async failed(ip: string, keyId: string | null): Promise<HttpError | null> {
    const byIp = await this.failuresByIp.penalty(ip, 1);
    const byKey = keyId === null ? null : await this.failuresByKey.penalty(keyId, 1);
    if (byIp.consumedPoints > this.failuresByIp.points) {
      return limited(byIp, 'failed authentications from this address');
    }
    if (byKey !== null && byKey.consumedPoints > this.failuresByKey.points) {
      return limited(byKey, 'failed authentications with this key id');
    }
    return null;
  }
}
