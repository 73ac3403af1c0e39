import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { WorkflowEngine } from '../../engine/index.js';
import { createMcpServer, localPrincipal } from '../../mcp/index.js';
import type { CommandContext } from '../context.js';
import { withOrchestrator } from '../orchestrator.js';
import { VERSION } from '../../core/index.js';

export interface McpOptions {
  role?: string;
  targets?: string;
  grant?: string[];
}

/** Resolves when stdin ends (the client went away) or on SIGINT/SIGTERM, saying which. */
function untilDone(): { done: Promise<'stdin' | 'signal'>; signalled: Promise<void>; dispose: () => void } {
  let onSignal = (): void => undefined;
  const signalled = new Promise<void>((resolve) => {
    onSignal = () => resolve();
  });
  let onEnd = (): void => undefined;
  const ended = new Promise<void>((resolve) => {
    onEnd = () => resolve();
  });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stdin.once('end', onEnd);
  process.stdin.once('close', onEnd);
  return {
    done: Promise.race([ended.then(() => 'stdin' as const), signalled.then(() => 'signal' as const)]),
    signalled,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdin.off('end', onEnd);
      process.stdin.off('close', onEnd);
    },
  };
}

/**
 * `automatos mcp`: the MCP server over stdio for a desktop assistant. stdout carries the protocol
 * and nothing else; diagnostics go to stderr. Deployments it starts run in this process. When the
 * client closes stdin, it waits for them to finish (a deployment left half-way would hold its
 * lease until it expired); SIGINT/SIGTERM stop them the way `workflows stop` does (the previous
 * release keeps serving) and then exit. A process killed outright leaves them to `workflows resume`.
 */
export async function mcpCommand(ctx: CommandContext, opts: McpOptions): Promise<number> {
  const principal = localPrincipal({
    ...(opts.role === undefined ? {} : { role: opts.role }),
    ...(opts.targets === undefined
      ? {}
      : {
          targets: opts.targets
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
        }),
    ...(opts.grant === undefined ? {} : { grants: opts.grant }),
  });
  const log = (line: string): void => ctx.io.err(`automatos mcp: ${line}\n`);
  return withOrchestrator(ctx, async (orch) => {
    const engine = new WorkflowEngine(orch, { env: ctx.io.env });
    const stopWorkflows = new AbortController();
    const server = createMcpServer({
      orch,
      engine,
      principal,
      cwd: ctx.io.cwd,
      env: ctx.io.env,
      version: VERSION,
      source: 'mcp',
      signal: stopWorkflows.signal,
      log,
    });
    const lifecycle = untilDone();
    try {
      await server.connect(new StdioServerTransport());
      log(
        `serving over stdio as ${principal.id} (role ${principal.role}` +
          `${principal.targets === null ? '' : `, targets ${principal.targets.join(',')}`}` +
          `${principal.grants === undefined ? '' : `, also ${principal.grants.join(',')}`})`,
      );
      const why = await lifecycle.done;
      const { queued, running } = engine.stats();
      if (why === 'signal') stopWorkflows.abort();
      else if (queued + running > 0) {
        log(`client closed; waiting for ${running + queued} deployment(s) to finish (SIGTERM stops them)`);
        void lifecycle.signalled.then(() => stopWorkflows.abort());
      }
      await engine.idle();
      return 0;
    } finally {
      lifecycle.dispose();
      await server.close();
      await engine.close();
      // A signal may arrive while stdin is still open: it must not keep the process alive.
      process.stdin.destroy();
    }
  });
}
