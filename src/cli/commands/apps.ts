import { cliActor, rollbackApp } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import { streamingEvents } from './deploy.js';

export async function appsListCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const apps = await withOrchestrator(ctx, (orch) => orch.store.apps.list());
  if (opts.json === true) printJson(ctx.io, apps);
  else for (const app of apps) ctx.io.out(`${app.name}\n`);
  return 0;
}

/** Releases per target, newest first, with the one serving marked. */
export async function appsShowCommand(
  ctx: CommandContext,
  app: string,
  opts: { json?: boolean },
): Promise<number> {
  const releases = await withOrchestrator(ctx, async (orch) => {
    await orch.store.apps.get(app);
    return orch.store.apps.releases.list(app);
  });
  if (opts.json === true) {
    printJson(ctx.io, { app, releases });
    return 0;
  }
  ctx.io.out(`${app}\n  TARGET        RELEASE                            STATUS       WORKFLOW\n`);
  for (const r of releases) {
    const mark = r.status === 'active' ? '*' : ' ';
    ctx.io.out(
      `${mark} ${r.target.padEnd(13)} ${r.releaseId.padEnd(34)} ${r.status.padEnd(12)} ${r.workflowId ?? '-'}\n`,
    );
  }
  return 0;
}

export async function rollbackCommand(
  ctx: CommandContext,
  app: string,
  opts: { target: string; to?: string },
): Promise<number> {
  const outcome = await withOrchestrator(ctx, (orch) =>
    rollbackApp(
      orch,
      { app, target: opts.target, ...(opts.to === undefined ? {} : { to: opts.to }) },
      cliActor(),
      streamingEvents(ctx),
    ),
  );
  ctx.io.out(
    `${app} on ${outcome.target}: rolled back from ${outcome.from ?? 'nothing'} to ${outcome.to} (workflow ${outcome.workflowId})\n`,
  );
  return 0;
}
