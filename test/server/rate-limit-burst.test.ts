// The failed-auth lockout through real HTTP, by its effect: an attacker's burst of bad keys from the
// operator's own address neither locks the operator out nor floods the audit log, and the audit
// log still counts every failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { startApi } from './harness.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

interface FailureRow {
  principal: string;
  source: string;
  details: {
    ip?: string;
    key_id?: string | null;
    count?: number;
    aggregated?: boolean;
    window_start?: string;
  };
}

/** The auth.failed records, read from the database itself once the server has stopped. */
async function failuresIn(dataDir: string): Promise<FailureRow[]> {
  const store = await openStore({ dataDir });
  try {
    const rows = await store.db
      .selectFrom('audit_events')
      .select(['principal', 'source', 'details'])
      .where('action', '=', 'auth.failed')
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as FailureRow['details'] }));
  } finally {
    await store.close();
  }
}

const randomHex = (n: number) =>
  Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');

describe('failed authentications under a burst', () => {
  it('lets the valid key in and audits every failure, counted past the threshold', async () => {
    const root = mkdtempSync(join(tmpdir(), 'automatos-burst-'));
    roots.push(root);
    const dataDir = join(root, 'data');
    const api = await startApi({
      dataDir,
      rateLimits: {
        perIp: { points: 10_000, duration: 60 },
        authFailures: { points: 10, duration: 300 },
        failureAudit: { threshold: 20, window: 60 },
      },
    });
    const operatorId = /^atm_([0-9a-f]{16})_/.exec(api.keys.operator)?.[1] ?? '';
    // Three kinds of bad key: not a key at all, a well-formed unknown one, and the operator's id
    // with a wrong secret (3 unknown ids, so several (address, key id) aggregates).
    const unknownIds = [randomHex(16), randomHex(16), randomHex(16)];
    const bad = (i: number): string =>
      i % 3 === 0
        ? `not-a-key-${i}`
        : i % 3 === 1
          ? `atm_${unknownIds[Math.floor(i / 3) % unknownIds.length] ?? ''}_${'B'.repeat(43)}`
          : `atm_${operatorId}_${'C'.repeat(43)}`;
    const N = 90;
    const statuses = new Map<number, number>();
    try {
      for (let i = 0; i < N; i += 1) {
        const res = await api.call('GET', '/workflows', { key: bad(i) });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        await res.body?.cancel();
      }
      // 10 failures are answered 401, the rest 429: the address is over its failure limit…
      expect(statuses).toEqual(
        new Map([
          [401, 10],
          [429, N - 10],
        ]),
      );
      // …and the operator's valid key, from the very same address, still gets in.
      const ok = await api.call('GET', '/workflows', { key: api.keys.operator });
      expect(ok.status).toBe(200);
    } finally {
      await api.close();
    }
    const rows = await failuresIn(dataDir);
    const counted = rows.reduce((sum, r) => sum + (r.details.count ?? 1), 0);
    expect(counted).toBe(N);
    const single = rows.filter((r) => r.details.aggregated !== true);
    const aggregated = rows.filter((r) => r.details.aggregated === true);
    // 20 one by one per address and minute (40 if the burst straddled a minute), then counted.
    expect(single.length === 20 || single.length === 40).toBe(true);
    expect(aggregated.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(N / 2);
    // One aggregate per (address, key id) and window, each saying how many failures it stands for.
    const buckets = aggregated.map((r) => `${r.details.ip}|${r.details.key_id}|${r.details.window_start}`);
    expect(new Set(buckets).size).toBe(buckets.length);
    for (const r of aggregated) {
      expect(r.details.ip).toBe('127.0.0.1');
      expect(r.details.count).toBeGreaterThan(0);
    }
    expect(aggregated.map((r) => r.details.key_id)).toEqual(
      expect.arrayContaining([null, operatorId, ...unknownIds]),
    );
    // The key's secret half never reaches the audit log.
    expect(JSON.stringify(rows)).not.toContain('C'.repeat(43));
  });

  it('writes the counted record when its window ends, without waiting for a stop', async () => {
    const root = mkdtempSync(join(tmpdir(), 'automatos-burst-'));
    roots.push(root);
    const api = await startApi({
      dataDir: join(root, 'data'),
      rateLimits: { failureAudit: { threshold: 2, window: 1 }, authFailures: { points: 100, duration: 60 } },
    });
    try {
      for (let i = 0; i < 7; i += 1) {
        const res = await api.call('GET', '/workflows', { key: 'wrong' });
        await res.body?.cancel();
      }
      const deadline = Date.now() + 5000;
      let counted = 0;
      while (Date.now() < deadline) {
        const events = (await api.orch.audit.list({ limit: 100 })).filter((e) => e.action === 'auth.failed');
        counted = events.reduce(
          (sum, e) => sum + (typeof e.details['count'] === 'number' ? e.details['count'] : 1),
          0,
        );
        if (counted === 7) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(counted).toBe(7);
    } finally {
      await api.close();
    }
  });
});
