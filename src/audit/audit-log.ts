import { randomUUID } from 'node:crypto';
import { AutomatosError } from '../core/index.js';
import { redactCredentials, type Redactor } from '../security/index.js';
import type { AuditHead, AuditRow, Store } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import { eventFromRow, hashEvent, rowFromEvent } from './event.js';
import { serialize } from './serialize.js';
import {
  auditRecordSchema,
  type AuditEvent,
  type AuditListQuery,
  type AuditRecord,
  type VerifyResult,
} from './types.js';
import { verifyChain } from './verify.js';

export interface AuditLogOptions {
  /** Applied to the command and every string in `details` before anything is stored or hashed. */
  redact?: Redactor;
  now?: () => Date;
}

function invalid(message: string, details: Record<string, unknown> = {}): AutomatosError {
  return new AutomatosError('AUT_INVALID_INPUT', `Invalid audit record: ${message}`, { details });
}

function toIso(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(`${field} is not a date: ${String(value)}`, { field });
  return date.toISOString();
}

function redactDeep(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]));
  }
  return value;
}

type Draft = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash' | 'at'> & { at: string | undefined };

/** Append-only, hash-chained audit log (see verify.ts for what it detects). */
export class AuditLog {
  private readonly redact: Redactor;
  private readonly now: () => Date;
  private readonly observers = new Set<(event: AuditEvent) => void>();

  constructor(
    private readonly store: Pick<Store, 'audit'>,
    options: AuditLogOptions = {},
  ) {
    this.redact = options.redact ?? redactCredentials;
    this.now = options.now ?? (() => new Date());
  }

  /** Appends one record; concurrent calls are chained one after another, never forked. */
  async append(record: AuditRecord): Promise<AuditEvent> {
    const draft = this.prepare(record);
    const row = await serialize(this.store.audit, () =>
      this.store.audit.append((head) => this.seal(draft, head)),
    );
    const event = eventFromRow(row);
    for (const observe of this.observers) {
      // An observer (metrics) must never fail the action it watches.
      try {
        observe(event);
      } catch {
        continue;
      }
    }
    return event;
  }

  /**
   * Calls `observe` with every stored event (already redacted): every command, decision and auth
   * failure passes through here, which is what metrics count. Returns the function that stops it.
   */
  observe(observe: (event: AuditEvent) => void): () => void {
    this.observers.add(observe);
    return () => {
      this.observers.delete(observe);
    };
  }

  async list(query: AuditListQuery = {}): Promise<AuditEvent[]> {
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1)) {
      throw invalid('limit must be a positive integer', { limit: query.limit });
    }
    const rows = await this.store.audit.list({
      ...(query.target === undefined ? {} : { target: query.target }),
      ...(query.since === undefined ? {} : { since: toIso(query.since, 'since') }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    });
    return rows.map(eventFromRow);
  }

  verify(): Promise<VerifyResult> {
    return verifyChain(this.store.audit);
  }

  private prepare(record: AuditRecord): Draft {
    const parsed = auditRecordSchema.safeParse(record);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`);
      throw invalid(issues.join('; '), { issues });
    }
    const r = parsed.data;
    let details: Record<string, unknown>;
    try {
      // Normalize to plain JSON data (what reading it back will give) so the hash is reproducible.
      details = JSON.parse(canonicalJson(redactDeep(r.details ?? {}, this.redact))) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw invalid(`details must be plain JSON data (${(error as Error).message})`);
    }
    return {
      id: randomUUID(),
      at: r.at === undefined ? undefined : toIso(r.at, 'at'),
      principal: r.principal,
      source: r.source,
      action: r.action,
      target: r.target ?? null,
      command: r.command === undefined || r.command === null ? null : this.redact(r.command),
      decision: r.decision ?? null,
      rule: r.rule ?? null,
      risk: r.risk ?? null,
      result:
        r.result === undefined || r.result === null
          ? null
          : (JSON.parse(canonicalJson(r.result)) as AuditEvent['result']),
      workflowId: r.workflowId ?? null,
      details,
    };
  }

  /** Runs under the head lock: a defaulted `at` is taken here, so it never goes back as seq goes up. */
  private seal(draft: Draft, head: AuditHead): AuditRow {
    const at = draft.at ?? this.now().toISOString();
    const unsealed = { ...draft, at, seq: head.seq + 1, prevHash: head.hash };
    return rowFromEvent({ ...unsealed, hash: hashEvent(unsealed) });
  }
}
