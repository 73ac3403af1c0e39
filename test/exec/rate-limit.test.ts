import { describe, expect, it } from 'vitest';
import { TargetRateLimiter } from '../../src/exec/rate-limit.js';

/** A clock that only moves when the limiter sleeps, so the test is exact and instant. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('TargetRateLimiter', () => {
  it('lets a burst through, then paces at the configured rate', async () => {
    const clock = fakeClock();
    const limiter = new TargetRateLimiter({ perSecond: 10, burst: 3, ...clock });
    const waits = [];
    for (let i = 0; i < 5; i += 1) waits.push(await limiter.take('web1'));
    expect(waits).toEqual([0, 0, 0, 100, 100]);
  });

  it('keeps one bucket per target', async () => {
    const clock = fakeClock();
    const limiter = new TargetRateLimiter({ perSecond: 1, burst: 1, ...clock });
    expect(await limiter.take('a')).toBe(0);
    expect(await limiter.take('b')).toBe(0);
    expect(await limiter.take('a')).toBe(1000);
  });

  it('serves concurrent callers in arrival order without overspending', async () => {
    const clock = fakeClock();
    const limiter = new TargetRateLimiter({ perSecond: 2, burst: 2, ...clock });
    const waits = await Promise.all([1, 2, 3, 4].map(() => limiter.take('t')));
    expect(waits).toEqual([0, 0, 500, 500]);
    expect(clock.sleeps).toEqual([500, 500]);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new TargetRateLimiter({ perSecond: 0, burst: 1 })).toThrow('perSecond > 0');
  });
});
