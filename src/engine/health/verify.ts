import { setTimeout as delay } from 'node:timers/promises';
import type { HealthProbe } from '../../plan/index.js';
import { probeOnce } from './probe.js';
import type { HealthAttempt, HealthVerdict, Sleep, VerifyDeps } from './types.js';

const abortableSleep: Sleep = async (ms, signal) => {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch {
    // aborted: the caller looks at the signal
  }
};

const LISTEN_POLL_MS = 200;

/**
 * A just-started app needs a moment to bind its port. Rather than spend a whole `interval` (often
 * 10-30 s) after a refused first probe, poll the TCP port briefly — for at most one interval — and
 * count attempts only from there. The verdict still comes from the real probes below.
 */
async function awaitListening(probe: HealthProbe, deps: VerifyDeps, sleep: Sleep): Promise<void> {
  if (probe.type === 'command') return;
  // Counted in sleeps rather than clock time, so an injected sleep keeps tests instant.
  for (
    let waited = 0;
    waited < probe.intervalSec * 1000 && deps.signal?.aborted !== true;
    waited += LISTEN_POLL_MS
  ) {
    try {
      const socket = await deps.connect(probe.host, probe.port);
      socket.destroy();
      return;
    } catch {
      await sleep(LISTEN_POLL_MS, deps.signal);
    }
  }
}

/**
 * The verify step's check: wait `startPeriodSec`, then up to `retries + 1` attempts `intervalSec`
 * apart, stopping at the first healthy one. The AbortSignal ends the wait or the attempt at once
 * and yields `cancelled`.
 */
export async function verifyHealth(probe: HealthProbe, deps: VerifyDeps): Promise<HealthVerdict> {
  const sleep = deps.sleep ?? abortableSleep;
  const now = deps.now ?? Date.now;
  const { signal } = deps;
  const attempts: HealthAttempt[] = [];
  const cancelled = (): HealthVerdict => ({
    healthy: false,
    cancelled: true,
    attempts,
    reason: `health check cancelled after ${attempts.length} attempt(s)`,
  });

  if (probe.startPeriodSec > 0) await sleep(probe.startPeriodSec * 1000, signal);
  await awaitListening(probe, deps, sleep);
  const total = Math.max(0, probe.retries) + 1;
  for (let attempt = 1; attempt <= total; attempt += 1) {
    if (signal?.aborted) return cancelled();
    const at = now();
    const result = await probeOnce(probe, deps.connect, {
      ...(deps.runCommand === undefined ? {} : { runCommand: deps.runCommand }),
      ...(signal === undefined ? {} : { signal }),
    });
    if (signal?.aborted) return cancelled();
    const record: HealthAttempt = { ...result, attempt, at };
    attempts.push(record);
    deps.onAttempt?.(record);
    if (result.healthy) {
      return {
        healthy: true,
        cancelled: false,
        attempts,
        reason: `healthy on attempt ${attempt}: ${result.detail}`,
      };
    }
    if (attempt < total) await sleep(probe.intervalSec * 1000, signal);
  }
  const last = attempts[attempts.length - 1];
  return {
    healthy: false,
    cancelled: false,
    attempts,
    reason: `unhealthy after ${total} attempt(s)${last === undefined ? '' : `: ${last.detail}`}`,
  };
}
