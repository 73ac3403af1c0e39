// The aggregation of failed-authentication audit records, with a fake clock: one record each up
// to the threshold, then one counted record per (address, key id) and window, bounded whatever
// key ids an attacker invents.
import { describe, expect, it } from 'vitest';
import { FailureAudit, type FailedAuthentication } from '../../src/server/auth/failure-audit.js';

interface Written {
  principal: string;
  details?: Record<string, unknown>;
}

function setup(threshold = 3) {
  let now = Date.parse('2030-01-01T00:00:00.000Z');
  const written: Written[] = [];
  const audit = new FailureAudit(
    (record) => {
      written.push(record);
      return Promise.resolve();
    },
    { threshold, window: 60 },
    () => undefined,
    () => now,
  );
  const fail = (ip: string, keyId: string | null, route = '/workflows'): FailedAuthentication => ({
    ip,
    keyId,
    principal: keyId === null ? 'anonymous' : `key:${keyId}`,
    source: 'api',
    reason: keyId === null ? 'missing' : 'unknown',
    details: { method: 'GET', route },
  });
  return { audit, written, fail, tick: (ms: number) => (now += ms) };
}

const total = (written: Written[]) =>
  written.reduce((sum, w) => sum + (typeof w.details?.['count'] === 'number' ? w.details['count'] : 1), 0);

describe('FailureAudit', () => {
  it('writes each failure up to the threshold, then one counted record per key id and window', async () => {
    const { audit, written, fail, tick } = setup(3);
    for (let i = 0; i < 10; i += 1) await audit.record(fail('10.0.0.1', i % 2 === 0 ? 'aaaa' : null));
    expect(written).toHaveLength(3);
    tick(60_000); // the next window: the previous one's aggregates are written first
    await audit.record(fail('10.0.0.1', null));
    expect(written).toHaveLength(3 + 2 + 1);
    const aggregates = written.filter((w) => w.details?.['aggregated'] === true);
    expect(aggregates.map((w) => [w.details?.['key_id'], w.details?.['count']])).toEqual([
      [null, 4],
      ['aaaa', 3],
    ]);
    expect(aggregates.map((w) => w.principal)).toEqual(['anonymous', 'key:aaaa']);
    expect(total(written)).toBe(11);
  });

  it('counts addresses apart', async () => {
    const { audit, written, fail } = setup(2);
    for (let i = 0; i < 4; i += 1) await audit.record(fail('10.0.0.1', null));
    for (let i = 0; i < 2; i += 1) await audit.record(fail('10.0.0.2', null));
    expect(written).toHaveLength(4);
    await audit.close();
    expect(written).toHaveLength(5);
    expect(total(written)).toBe(6);
  });

  it('bounds the records of an attacker inventing key ids and routes', async () => {
    const { audit, written, fail } = setup(0);
    for (let i = 0; i < 500; i += 1) {
      await audit.record(fail('10.0.0.9', `k${String(i).padStart(15, '0')}`, `/nowhere/${i}`));
    }
    await audit.close();
    // 10 key ids of their own, the rest under `*`.
    expect(written).toHaveLength(11);
    expect(total(written)).toBe(500);
    const other = written.find((w) => w.details?.['key_id'] === '*');
    expect(other?.principal).toBe('anonymous');
    expect(Object.keys(other?.details?.['routes'] as object)).toHaveLength(11);
  });
});
