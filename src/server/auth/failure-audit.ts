import type { Orchestrator } from '../../engine/index.js';
import type { FailureAuditOptions } from './rate-limits.js';

type AuditInput = Parameters<Orchestrator['audit']['append']>[0];

/** One failed authentication, as the audit log should see it. */
export interface FailedAuthentication {
  ip: string;
  /** The presented key's public id (`atm_<id>_…`), or null for no or a malformed key. */
  keyId: string | null;
  /** `anonymous`, `key:<id>` or `webhook:<provider>`. */
  principal: string;
  source: 'api' | 'webhook';
  /** Why it failed: missing, malformed, unknown, mismatch, revoked, expired, bad signature. */
  reason: string;
  /** The request: method, route, and what else a reader needs (never the key itself). */
  details: Record<string, unknown>;
}

interface Aggregate {
  principal: string;
  source: 'api' | 'webhook';
  ip: string;
  keyId: string | null;
  count: number;
  reasons: Map<string, number>;
  routes: Map<string, number>;
  first: string;
  last: string;
}

/** Distinct key ids aggregated on their own per address and window; more share the bucket `*`. */
const KEYS_PER_ADDRESS = 10;
/** Distinct routes named in one aggregate; more are counted under `other`. */
const ROUTES_PER_AGGREGATE = 10;
const OTHER_KEYS = '*';

/**
 * Every failed authentication is audited. The first `threshold` failures of an address in a window
 * (a clock minute by default) get one record each; past that, its failures are counted into one
 * record per (address, key id) for the window, written when the window ends (or the server stops),
 * which says how many failures it stands for (`details.count`). A burst of bad keys cannot flood
 * the audit log, and still shows in it, counted.
 */
export class FailureAudit {
  private windowIndex = -1;
  private readonly perAddress = new Map<string, number>();
  private readonly keysPerAddress = new Map<string, Set<string>>();
  private aggregates = new Map<string, Aggregate>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly append: (record: AuditInput) => Promise<unknown>,
    private readonly options: FailureAuditOptions,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  private get windowMs(): number {
    return this.options.window * 1000;
  }

  async record(failure: FailedAuthentication): Promise<void> {
    await this.roll();
    const { ip } = failure;
    const seen = (this.perAddress.get(ip) ?? 0) + 1;
    this.perAddress.set(ip, seen);
    if (seen <= this.options.threshold) {
      await this.append({
        principal: failure.principal,
        source: failure.source,
        action: 'auth.failed',
        details: { ip, ...failure.details, reason: failure.reason },
      });
      return;
    }
    this.aggregate(failure);
  }

  /** Writes every pending aggregate now. */
  async flush(): Promise<void> {
    const pending = [...this.aggregates.values()];
    this.aggregates = new Map();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const start = new Date(this.windowIndex * this.windowMs).toISOString();
    const end = new Date((this.windowIndex + 1) * this.windowMs).toISOString();
    for (const a of pending) {
      await this.append({
        principal: a.principal,
        source: a.source,
        action: 'auth.failed',
        details: {
          ip: a.ip,
          key_id: a.keyId,
          aggregated: true,
          count: a.count,
          reason: `${a.count} failed authentications past ${this.options.threshold} from this address in ${this.options.window}s, counted in this one record`,
          reasons: Object.fromEntries(a.reasons),
          routes: Object.fromEntries(a.routes),
          window_start: start,
          window_end: end,
          first_at: a.first,
          last_at: a.last,
        },
      });
    }
  }

  /** Stops the timer and writes what is pending. */
  close(): Promise<void> {
    return this.flush();
  }

  /** A new window: the previous one's aggregates are written, the counts start again. */
  private async roll(): Promise<void> {
    const index = Math.floor(this.now() / this.windowMs);
    if (index === this.windowIndex) return;
    if (this.aggregates.size > 0) await this.flush();
    this.windowIndex = index;
    this.perAddress.clear();
    this.keysPerAddress.clear();
  }

  private aggregate(failure: FailedAuthentication): void {
    const keys = this.keysPerAddress.get(failure.ip) ?? new Set<string>();
    this.keysPerAddress.set(failure.ip, keys);
    const wanted = failure.keyId ?? '';
    const bucket = keys.has(wanted) || keys.size < KEYS_PER_ADDRESS ? wanted : OTHER_KEYS;
    keys.add(bucket);
    const id = `${failure.source}\n${failure.ip}\n${bucket}`;
    const at = new Date(this.now()).toISOString();
    let a = this.aggregates.get(id);
    if (a === undefined) {
      a = {
        principal: bucket === OTHER_KEYS ? 'anonymous' : failure.principal,
        source: failure.source,
        ip: failure.ip,
        keyId: bucket === '' ? null : bucket,
        count: 0,
        reasons: new Map(),
        routes: new Map(),
        first: at,
        last: at,
      };
      this.aggregates.set(id, a);
    }
    a.count += 1;
    a.last = at;
    a.reasons.set(failure.reason, (a.reasons.get(failure.reason) ?? 0) + 1);
    const raw = failure.details['route'];
    const route = typeof raw === 'string' ? raw.slice(0, 200) : 'other';
    const routeKey = a.routes.has(route) || a.routes.size < ROUTES_PER_AGGREGATE ? route : 'other';
    a.routes.set(routeKey, (a.routes.get(routeKey) ?? 0) + 1);
    this.schedule();
  }

  /** One timer, at the end of the current window. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    const due = (this.windowIndex + 1) * this.windowMs - this.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.flush().catch(this.onError);
      },
      Math.max(0, due),
    );
    this.timer.unref();
  }
}
