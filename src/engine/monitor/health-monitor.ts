import { setTimeout as delay } from 'node:timers/promises';
import { AutomatosError } from '../../core/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { monitorOnce, type MonitorCheck, type MonitorOptions } from './monitor-once.js';

export const DEFAULT_MONITOR_INTERVAL_MS = 30_000;

export interface HealthMonitorOptions extends Omit<MonitorOptions, 'signal'> {
  /** From the start of one round to the start of the next (default 30 s). */
  intervalMs?: number;
  /** After every round that ran to its end. */
  onRound?: (checks: MonitorCheck[]) => void;
  /** A round that failed as a whole (the store is unavailable); the next round still comes. */
  onError?: (error: unknown) => void;
}

/**
 * Runs a monitoring round every interval until stopped. Rounds never overlap: a round that takes
 * longer than the interval is followed by the next one at once, never joined by it.
 */
export class HealthMonitor {
  private readonly intervalMs: number;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private completed = 0;

  constructor(
    private readonly orch: Orchestrator,
    private readonly options: HealthMonitorOptions,
  ) {
    const intervalMs = options.intervalMs ?? DEFAULT_MONITOR_INTERVAL_MS;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new AutomatosError('AUT_USAGE', `the monitoring interval must be positive, got ${intervalMs} ms`);
    }
    this.intervalMs = intervalMs;
  }

  /** Rounds run to their end so far. */
  get rounds(): number {
    return this.completed;
  }

  /** Starts the first round now. */
  start(): void {
    if (this.loop !== undefined)
      throw new AutomatosError('AUT_CONFLICT', 'the health monitor is already started');
    this.loop = this.run();
  }

  /** Ends the round in progress (its unfinished checks are not recorded) and waits for it. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    const { app, actor, concurrency, onRound, onError } = this.options;
    const round: MonitorOptions = {
      actor,
      signal,
      ...(app === undefined ? {} : { app }),
      ...(concurrency === undefined ? {} : { concurrency }),
    };
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const checks = await monitorOnce(this.orch, round);
        if (!signal.aborted) {
          this.completed += 1;
          onRound?.(checks);
        }
      } catch (error) {
        if (!signal.aborted) onError?.(error);
      }
      const wait = Math.max(0, this.intervalMs - (Date.now() - started));
      await delay(wait, undefined, { signal }).catch(() => undefined);
    }
  }
}
