import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { createAgents, loadAgentConfig } from '../../agents/index.js';
import { AutomatosError } from '../../core/index.js';
import { resumeWorkflows, WorkflowEngine } from '../../engine/index.js';
import { bootstrapAdminKey, buildServer } from '../../server/index.js';
import type { CommandContext } from '../context.js';
import { withOrchestrator } from '../orchestrator.js';
import { resolveFrom } from '../paths.js';

export interface ServeOptions {
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  corsOrigin?: string[];
  trustProxy?: string[];
  allowLocalSources?: boolean;
}

/** How often the server looks for workflows queued by other processes (`deploy --detach`). */
const ADOPT_EVERY_MS = 5000;

function portOf(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new AutomatosError('AUT_USAGE', `--port must be from 0 to 65535, got "${text}"`);
  }
  return port;
}

async function tlsFrom(ctx: CommandContext, opts: ServeOptions) {
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    throw new AutomatosError('AUT_USAGE', 'give both --tls-cert and --tls-key, or neither');
  }
  if (opts.tlsCert === undefined || opts.tlsKey === undefined) return undefined;
  const read = (file: string) =>
    readFile(resolveFrom(ctx.io, file)).catch((error: unknown) => {
      throw new AutomatosError('AUT_IO', `cannot read ${file}: ${(error as Error).message}`);
    });
  return { cert: await read(opts.tlsCert), key: await read(opts.tlsKey) };
}

/**
 * `automatos serve`: the API and the worker in one process. Queued workflows are adopted and
 * crashed ones resumed on start; SIGTERM/SIGINT stop accepting requests, let running workflows
 * finish, then close.
 */
export async function serveCommand(ctx: CommandContext, opts: ServeOptions): Promise<number> {
  const port = portOf(opts.port);
  const tls = await tlsFrom(ctx, opts);
  return withOrchestrator(ctx, async (orch) => {
    // A broken LLM configuration stops the server here, not in the first request that plans a prompt.
    const agents = createAgents(loadAgentConfig(ctx.io.env, orch.dataDir)).describe();
    const engine = new WorkflowEngine(orch, { env: ctx.io.env });
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const boot = await bootstrapAdminKey(orch, ctx.io.env);
      if (boot.kind === 'created') {
        ctx.io.err(
          `automatos serve: created the first admin API key (id ${boot.id}); it is shown once, store it now:\n` +
            `  ${boot.key.reveal()}\n`,
        );
      }
      const app = await buildServer({
        orch,
        engine,
        env: ctx.io.env,
        ...(tls === undefined ? {} : { tls }),
        ...(opts.corsOrigin === undefined ? {} : { corsOrigins: opts.corsOrigin }),
        ...(opts.trustProxy === undefined ? {} : { trustProxy: opts.trustProxy }),
        allowLocalSources: opts.allowLocalSources === true,
      });
      const address = await app.listen({ host: opts.host, port });
      ctx.io.err(
        `automatos serve: listening on ${address} (docs at ${address}/docs, worker pid ${process.pid}; ` +
          `tier-2 planner ${agents.provider}${agents.model === null ? '' : ` ${agents.model}`})\n`,
      );
      const actor = { principal: 'system:serve', source: 'engine' as const };
      void resumeWorkflows(orch, actor).catch((error: unknown) =>
        ctx.io.err(`automatos serve: resuming workflows failed: ${(error as Error).message}\n`),
      );
      while (!stop.signal.aborted) {
        await engine
          .adoptQueued()
          .catch((error: unknown) =>
            ctx.io.err(`automatos serve: adopting queued workflows failed: ${(error as Error).message}\n`),
          );
        await delay(ADOPT_EVERY_MS, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      ctx.io.err('automatos serve: stopping: no new requests; waiting for running workflows\n');
      await app.close();
      await engine.idle();
      return 0;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await engine.close();
    }
  });
}
