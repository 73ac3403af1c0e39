// What someone who can write the database file does: opens it with better-sqlite3, rewrites rows
// and recomputes whatever hashes they can. They know every algorithm, never the master key.
import SQLite from 'better-sqlite3';
import { hashEvent, headMac, keyedHash, type AuditEvent, type AuditKeys } from '../../src/audit/index.js';

interface RawRow {
  seq: number;
  id: string;
  at: string;
  principal: string;
  source: string;
  action: string;
  target: string | null;
  command: string | null;
  decision: string | null;
  rule: string | null;
  risk: number | null;
  result: string | null;
  workflow_id: string | null;
  details: string;
  prev_hash: string;
  alg: string;
  hash: string;
}

export interface RawHead {
  seq: number;
  hash: string;
  keyed_from: number | null;
  mac: string | null;
}

/** How a rewrite re-seals the rows after it: not at all, plain SHA-256 (as legacy), or an HMAC under a key of its own. */
export type Reseal = 'none' | 'sha256' | { wrongKeys: AuditKeys };

const toEvent = (r: RawRow): Omit<AuditEvent, 'hash'> => ({
  seq: r.seq,
  id: r.id,
  at: r.at,
  principal: r.principal,
  source: r.source as AuditEvent['source'],
  action: r.action,
  target: r.target,
  command: r.command,
  decision: r.decision as AuditEvent['decision'],
  rule: r.rule,
  risk: r.risk,
  result: r.result === null ? null : (JSON.parse(r.result) as AuditEvent['result']),
  workflowId: r.workflow_id,
  details: JSON.parse(r.details) as Record<string, unknown>,
  prevHash: r.prev_hash,
  alg: r.alg as AuditEvent['alg'],
});

export class Attacker {
  private readonly db: SQLite.Database;

  constructor(file: string) {
    this.db = new SQLite(file);
  }

  rows(fromSeq = 1): RawRow[] {
    return this.db.prepare('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq').all(fromSeq) as RawRow[];
  }

  head(): RawHead {
    return this.db.prepare('SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1').get() as RawHead;
  }

  setHead(head: RawHead): void {
    this.db
      .prepare(
        'UPDATE audit_head SET seq = @seq, hash = @hash, keyed_from = @keyed_from, mac = @mac WHERE id = 1',
      )
      .run(head);
  }

  /** Changes record `seq`'s command, then recomputes the chain from it to the end and the head. */
  rewrite(seq: number, command: string, reseal: Reseal, options: { fromSeq?: number } = {}): void {
    this.db.prepare('UPDATE audit_events SET command = ? WHERE seq = ?').run(command, seq);
    if (reseal === 'none') return;
    this.reseal(options.fromSeq ?? seq, reseal);
  }

  /**
   * Recomputes the rows from `fromSeq` (to `toSeq`, else to the end, then moves the head) with
   * `reseal`, each linked to the one before.
   */
  reseal(fromSeq: number, reseal: Exclude<Reseal, 'none'>, toSeq = Number.MAX_SAFE_INTEGER): void {
    const before = this.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').get(fromSeq - 1) as
      { hash: string } | undefined;
    let prev = before?.hash ?? '0'.repeat(64);
    const update = this.db.prepare('UPDATE audit_events SET prev_hash = ?, alg = ?, hash = ? WHERE seq = ?');
    let last = 0;
    for (const row of this.rows(fromSeq).filter((r) => r.seq <= toSeq)) {
      const event = { ...toEvent(row), prevHash: prev };
      const alg = reseal === 'sha256' ? 'sha256' : 'hmac-sha256';
      const hash = reseal === 'sha256' ? hashEvent(event) : keyedHash(reseal.wrongKeys, event);
      update.run(prev, alg, hash, row.seq);
      prev = hash;
      last = row.seq;
    }
    if (toSeq !== Number.MAX_SAFE_INTEGER) return;
    const head = this.head();
    if (reseal === 'sha256') {
      this.setHead({ ...head, seq: last, hash: prev });
    } else {
      const next = { seq: last, hash: prev, keyedFrom: head.keyed_from };
      this.setHead({ ...head, seq: last, hash: prev, mac: headMac(reseal.wrongKeys, next) });
    }
  }

  /** Deletes every record from `fromSeq` on and rewinds the head to the last one left (its MAC kept). */
  truncate(fromSeq: number): void {
    this.db.prepare('DELETE FROM audit_events WHERE seq >= ?').run(fromSeq);
    const last = this.db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    this.setHead({ ...this.head(), seq: last?.seq ?? 0, hash: last?.hash ?? '0'.repeat(64) });
  }

  close(): void {
    this.db.close();
  }
}
