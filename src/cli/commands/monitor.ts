import { AutomatosError } from '../../core/index.js';
import { cliActor, HealthMonitor, monitorOnce } from '../../engine/index.js';
import type { MonitorCheck, Orchestrator } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { alertLine, checkLine } from '../format/health.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';

export interface MonitorCommandOptions {
  app?: string;
  once?: boolean;
  interval?: string;
  json?: boolean;
}

function parseInterval(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0)) {
    throw new AutomatosError('AUT_USAGE', `--interval must be a positive number of seconds, got ${text}`);
  }
  return seconds * 1000;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Aborted by SIGINT or SIGTERM (or the caller's own signal, in tests). */
function untilStopped(outer: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  outer?.addEventListener('abort', stop, { once: true });
  if (outer?.aborted === true) stop();
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      outer?.removeEventListener('abort', stop);
    },
  };
}

function printRound(ctx: CommandContext, checks: readonly MonitorCheck[], json: boolean): void {
  if (checks.length === 0 && !json) {
    ctx.io.out('nothing to monitor: no app has a live release\n');
    return;
  }
  for (const check of checks)
    ctx.io.out(json ? `${JSON.stringify({ type: 'check', ...check })}\n` : checkLine(check));
}

/**
 * Until stopped: the first round prints every (app, target), later rounds only what changed
 * (alerts), so the output is a log of transitions. Errors of a round go to stderr; the next round
 * still comes.
 */
async function watch(
  ctx: CommandContext,
  orch: Orchestrator,
  opts: MonitorCommandOptions,
  intervalMs: number | undefined,
  stop: AbortSignal,
): Promise<void> {
  const json = opts.json === true;
  let first = true;
  const monitor = new HealthMonitor(orch, {
    actor: cliActor(),
    ...(opts.app === undefined ? {} : { app: opts.app }),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    onRound: (checks) => {
      if (first) printRound(ctx, checks, json);
      else {
        for (const check of checks) {
          if (check.alert === null) continue;
          ctx.io.out(
            json ? `${JSON.stringify({ type: 'alert', ...check.alert })}\n` : alertLine(check.alert),
          );
        }
      }
      first = false;
    },
    onError: (error) => ctx.io.err(`error: ${message(error)}\n`),
  });
  monitor.start();
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await monitor.stop();
}

/**
 * `--once`: one round, one line per (app, target); exit 0 when none is unhealthy, 1 otherwise.
 * Without it: rounds every `--interval` seconds until SIGINT/SIGTERM, printing transitions.
 */
export async function monitorCommand(
  ctx: CommandContext,
  opts: MonitorCommandOptions,
  stopSignal?: AbortSignal,
): Promise<number> {
  const intervalMs = parseInterval(opts.interval);
  if (opts.once === true) {
    const checks = await withOrchestrator(ctx, (orch) =>
      monitorOnce(orch, { actor: cliActor(), ...(opts.app === undefined ? {} : { app: opts.app }) }),
    );
    if (opts.json === true) printJson(ctx.io, checks);
    else printRound(ctx, checks, false);
    return checks.some((c) => c.state === 'unhealthy') ? 1 : 0;
  }
  const stop = untilStopped(stopSignal);
  try {
    await withOrchestrator(ctx, (orch) => watch(ctx, orch, opts, intervalMs, stop.signal));
  } finally {
    stop.dispose();
  }
  return 0;
}
