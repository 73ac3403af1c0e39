// verifyHealth's schedule (start period, retries, interval, cancel) with an injected sleep, against
// a real loopback HTTP server reached through the LocalExecutor.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpRequest,
  parseStatusLine,
  responseBody,
  statusMatches,
  verifyHealth,
  type Connect,
  type Sleep,
} from '../../src/engine/health/index.js';
import { LocalExecutor } from '../../src/exec/index.js';
import type { HealthProbe } from '../../src/plan/index.js';

// Answers with the next status of `script`, then keeps answering with the last one.
let script: number[] = [];
let served = 0;
const app = createServer((_req, res) => {
  const status = script[Math.min(served, script.length - 1)] ?? 200;
  served += 1;
  res.writeHead(status, { 'content-length': '2' });
  res.end('hi');
});
let port = 0;
const executor = new LocalExecutor();
const connect: Connect = (host, p) => executor.connect(host, p);

beforeAll(
  () =>
    new Promise<void>((resolve) =>
      app.listen(0, '127.0.0.1', () => {
        const address = app.address();
        port = typeof address === 'object' && address !== null ? address.port : 0;
        resolve();
      }),
    ),
);
afterAll(() => new Promise((resolve) => app.close(resolve)));

function probe(overrides: Partial<HealthProbe> = {}): HealthProbe {
  return {
    type: 'http',
    host: '127.0.0.1',
    port,
    path: '/health',
    expectStatus: 200,
    command: null,
    intervalSec: 30,
    timeoutSec: 5,
    retries: 3,
    startPeriodSec: 20,
    via: 'local',
    ...overrides,
  };
}

function recordingSleep(): { sleep: Sleep; slept: number[] } {
  const slept: number[] = [];
  return { slept, sleep: async (ms) => void slept.push(ms) };
}

describe('verifyHealth', () => {
  it('waits the start period, retries interval apart and stops at the first healthy answer', async () => {
    script = [503, 502, 200];
    served = 0;
    const { sleep, slept } = recordingSleep();
    const seen: number[] = [];
    const verdict = await verifyHealth(probe(), { connect, sleep, onAttempt: (a) => seen.push(a.attempt) });
    expect(verdict.healthy).toBe(true);
    expect(verdict.cancelled).toBe(false);
    expect(verdict.attempts.map((a) => [a.attempt, a.statusCode, a.healthy])).toEqual([
      [1, 503, false],
      [2, 502, false],
      [3, 200, true],
    ]);
    expect(seen).toEqual([1, 2, 3]);
    expect(slept).toEqual([20_000, 30_000, 30_000]);
    expect(verdict.reason).toBe('healthy on attempt 3: GET /health: HTTP/1.1 200 OK — hi');
  });

  it('gives up after retries + 1 attempts with the last failure as the reason', async () => {
    script = [503];
    served = 0;
    const { sleep, slept } = recordingSleep();
    const verdict = await verifyHealth(probe({ retries: 2, startPeriodSec: 0, intervalSec: 5 }), {
      connect,
      sleep,
    });
    expect(verdict.healthy).toBe(false);
    expect(verdict.attempts).toHaveLength(3);
    expect(served).toBe(3);
    expect(slept).toEqual([5000, 5000]); // no start period, no sleep after the last attempt
    expect(verdict.reason).toBe(
      'unhealthy after 3 attempt(s): GET /health: HTTP/1.1 503 Service Unavailable (expected 200) — hi',
    );
  });

  it('is cancelled by the AbortSignal, also during a real sleep', async () => {
    script = [503];
    served = 0;
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);
    const verdict = await verifyHealth(probe({ startPeriodSec: 0, intervalSec: 60 }), {
      connect,
      signal: controller.signal,
    });
    expect(verdict).toMatchObject({ healthy: false, cancelled: true });
    expect(verdict.attempts).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('waits for a just-started app to bind its port instead of spending a whole interval', async () => {
    const late = createServer((_req, res) => res.writeHead(200).end('ok'));
    const { freePort } = await import('../harness/sshd.js');
    const latePort = await freePort();
    setTimeout(() => late.listen(latePort, '127.0.0.1'), 600);
    const started = Date.now();
    const verdict = await verifyHealth(probe({ port: latePort, startPeriodSec: 0, intervalSec: 30 }), {
      connect,
    });
    expect(verdict.healthy).toBe(true);
    expect(verdict.attempts).toHaveLength(1);
    // Real sleeps: well under the 30 s interval a refused first probe would otherwise cost.
    expect(Date.now() - started).toBeLessThan(5000);
    late.close();
  });

  it('counts a refused connection as a failed attempt', async () => {
    const { sleep } = recordingSleep();
    const verdict = await verifyHealth(probe({ port: 1, retries: 1, startPeriodSec: 0 }), { connect, sleep });
    expect(verdict.healthy).toBe(false);
    expect(verdict.attempts.map((a) => a.detail)).toEqual([
      expect.stringContaining('cannot reach 127.0.0.1:1'),
      expect.stringContaining('cannot reach 127.0.0.1:1'),
    ]);
  });
});

describe('the raw HTTP pieces', () => {
  it('builds the request, parses status lines and de-chunks bodies', () => {
    expect(httpRequest('127.0.0.1', 8000, '/health?x=1')).toBe(
      'GET /health?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: automatos-health/1\r\n' +
        'Accept: */*\r\nConnection: close\r\n\r\n',
    );
    expect(httpRequest('::1', 80, '/')).toContain('Host: [::1]:80\r\n');
    expect(parseStatusLine('HTTP/1.1 204 No Content')).toBe(204);
    expect(parseStatusLine('HTTP/1.0 200')).toBe(200);
    expect(parseStatusLine('SSH-2.0-OpenSSH_9.2')).toBeUndefined();
    expect(statusMatches(302, null)).toBe(true);
    expect(statusMatches(302, 200)).toBe(false);
    expect(
      responseBody('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n3\r\n!!!\r\n0\r\n\r\n'),
    ).toBe('ok!!!');
  });
});
