import { cliActor, startApp, stopApp } from '../../engine/index.js';
import type { DeployEvents } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { withOrchestrator } from '../orchestrator.js';
import { refuseRemote } from '../remote/index.js';

/** Stop and start are not workflows (nothing is deployed): their steps and output print as lines. */
function lineEvents(ctx: CommandContext): DeployEvents {
  return {
    step: (target, step, status, detail) =>
      ctx.io.err(`[${target}] ${step.padEnd(8)} ${status}${detail === undefined ? '' : `: ${detail}`}\n`),
    log: (target, step, _stream, text) => {
      const prefix = `[${target}] ${step.padEnd(8)} | `;
      ctx.io.err(
        `${text
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => prefix + line)
          .join('\n')}\n`,
      );
    },
  };
}

/** `automatos apps stop APP --target T`: the serving release stops; the store keeps it recorded. */
export async function appsStopCommand(
  ctx: CommandContext,
  app: string,
  opts: { target: string },
): Promise<number> {
  refuseRemote(ctx, 'apps stop', 'the API has no route for it yet');
  const outcome = await withOrchestrator(ctx, (orch) =>
    stopApp(orch, { app, target: opts.target }, cliActor(), lineEvents(ctx)),
  );
  ctx.io.out(
    `${app} on ${outcome.target}: stopped release ${outcome.releaseId}; ` +
      `\`automatos apps start ${app} --target ${outcome.target}\` starts it again\n`,
  );
  return 0;
}

/** `automatos apps start APP --target T`: the serving release (re)starts and must pass its health check. */
export async function appsStartCommand(
  ctx: CommandContext,
  app: string,
  opts: { target: string },
): Promise<number> {
  refuseRemote(ctx, 'apps start', 'the API has no route for it yet');
  const outcome = await withOrchestrator(ctx, (orch) =>
    startApp(orch, { app, target: opts.target }, cliActor(), lineEvents(ctx)),
  );
  ctx.io.out(
    `${app} on ${outcome.target}: started release ${outcome.releaseId}, healthy at ${outcome.url}\n`,
  );
  return 0;
}
