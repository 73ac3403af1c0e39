import { randomUUID } from 'node:crypto';
import { AutomatosError } from '../core/index.js';
import { redactCredentials, type Redactor } from '../security/index.js';
import type { AuditAppend, AuditHead, Store } from '../store/index.js';
import { canonicalJson } from './canonical-json.js';
import type { CheckpointFile } from './checkpoint-file.js';
import { Checkpointer, type CheckpointOptions } from './checkpointer.js';
import { eventFromRow, hashEvent, headMac, keyedHash, rowFromEvent } from './event.js';
import { guardHead, startedKeyed } from './head-guard.js';
import type { AuditKeys } from './keys.js';
import { serialize } from './serialize.js';
import {
  auditRecordSchema,
  KEYED_ALG,
  LEGACY_ALG,
  type AuditEvent,
  type AuditListQuery,
  type AuditRecord,
} from './types.js';
import type { VerifyResult } from './verify-result.js';
import { verifyLog } from './verify.js';

export interface AuditLogOptions {
  /** Applied to the command and every string in `details` before anything is stored or hashed. */
  redact?: Redactor;
  now?: () => Date;
  /**
   * The keys derived from the master key (`deriveAuditKeys`): every new record is HMAC-keyed and
   * the head sealed. Without them the log writes legacy SHA-256 records only (tests, tools) and
   * refuses to append to a log whose keyed chain has begun.
   */
  keys?: AuditKeys;
  /** Signed checkpoints, appended to a file outside the database (needs `keys`). */
  checkpoints?: CheckpointOptions;
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

type Draft = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash' | 'at' | 'alg'> & { at: string | undefined };

/**
 * Append-only audit log: a chain of records, each keyed with an HMAC under a key derived from the
 * master key, a sealed head row, and signed checkpoints outside the database (see verify.ts).
 */
export class AuditLog {
  private readonly redact: Redactor;
  private readonly now: () => Date;
  private readonly keys: AuditKeys | undefined;
  private readonly checkpointer: Checkpointer | undefined;
  private readonly observers = new Set<(event: AuditEvent) => void>();
  /** Whether this log has seen a sealed head: a legacy head after that is a tampered one. */
  private sawKeyed = false;

  constructor(
    private readonly store: Pick<Store, 'audit'>,
    options: AuditLogOptions = {},
  ) {
    this.redact = options.redact ?? redactCredentials;
    this.now = options.now ?? (() => new Date());
    this.keys = options.keys;
    if (options.checkpoints !== undefined && this.keys !== undefined) {
      this.checkpointer = new Checkpointer(this.keys, options.checkpoints, this.now);
    }
  }

  /** Appends one record; concurrent calls are chained one after another, never forked. */
  async append(record: AuditRecord): Promise<AuditEvent> {
    const draft = this.prepare(record);
    if (this.keys !== undefined && !this.sawKeyed) this.sawKeyed = await startedKeyed(this.store.audit);
    let next: AuditHead | undefined;
    let started = false;
    const row = await serialize(this.store.audit, () =>
      this.store.audit.append((head) => {
        const sealed = this.seal(draft, head);
        started = head.keyedFrom === null && sealed.head.keyedFrom !== null;
        next = sealed.head;
        return sealed;
      }),
    );
    if (row.alg === KEYED_ALG) {
      this.sawKeyed = true;
      this.checkpointer?.appended(row, next?.keyedFrom ?? null, started);
    }
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

  /**
   * Checks the chain, the head and the checkpoint file; when all is intact and the log grew since
   * the newest checkpoint, signs a new one.
   */
  async verify(): Promise<VerifyResult> {
    const file = this.checkpointer?.file;
    const { result, last, signedSeq } = await verifyLog(this.store.audit, {
      keys: this.keys,
      checkpoints: file,
    });
    if (this.checkpointer !== undefined && last !== null && last.seq > signedSeq) {
      try {
        const written = this.checkpointer.write('verify', { ...last, keyedFrom: result.keyedFrom });
        result.checkpoints = { ...result.checkpoints, written: { seq: written.seq, at: written.at } };
      } catch (error) {
        result.notes.push((error as Error).message);
      }
    }
    return result;
  }

  /** Signs a checkpoint of the last record this log appended, if none covers it yet. Call on shutdown. */
  close(): void {
    this.checkpointer?.close();
  }

  /** The checkpoint file, when this log keeps one. */
  get checkpointFile(): CheckpointFile | undefined {
    return this.checkpointer?.file;
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

  /**
   * Runs under the head lock: a defaulted `at` is taken here, so it never goes back as seq goes up.
   * A keyed log first checks the head's MAC (a rewound or rewritten head stops the append).
   */
  private seal(draft: Draft, head: AuditHead): AuditAppend {
    const at = draft.at ?? this.now().toISOString();
    const seq = head.seq + 1;
    const keys = this.keys;
    guardHead(head, keys, this.sawKeyed);
    if (keys === undefined) {
      const unsealed = { ...draft, at, seq, prevHash: head.hash, alg: LEGACY_ALG } as const;
      const hash = hashEvent(unsealed);
      return { row: rowFromEvent({ ...unsealed, hash }), head: { seq, hash, keyedFrom: null, mac: null } };
    }
    const unsealed = { ...draft, at, seq, prevHash: head.hash, alg: KEYED_ALG } as const;
    const hash = keyedHash(keys, unsealed);
    const next = { seq, hash, keyedFrom: head.keyedFrom ?? seq };
    return { row: rowFromEvent({ ...unsealed, hash }), head: { ...next, mac: headMac(keys, next) } };
  }
}
