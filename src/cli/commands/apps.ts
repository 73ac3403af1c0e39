import { cliActor, rollbackApp } from '../../engine/index.js';
import type { RollbackOutcome } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { alertLine, healthLine } from '../format/health.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import { plainView } from '../live/plain.js';
import {
  engineEvent,
  followWorkflow,
  listApps,
  remoteClient,
  rollback,
  showApp,
  type RemoteClient,
} from '../remote/index.js';

export async function appsListCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const client = remoteClient(ctx);
  const apps =
    client === null ? await withOrchestrator(ctx, (orch) => orch.store.apps.list()) : await listApps(client);
  if (opts.json === true) printJson(ctx.io, apps);
  else for (const app of apps) ctx.io.out(`${app.name}\n`);
  return 0;
}

/** How much health history `apps show` prints; --json carries more. */
const SHOWN_HEALTH = 10;
const SHOWN_ALERTS = 10;

/** Releases per target, newest first, with the one serving marked; then recent health and alerts. */
export async function appsShowCommand(
  ctx: CommandContext,
  app: string,
  opts: { json?: boolean },
): Promise<number> {
  const json = opts.json === true;
  const client = remoteClient(ctx);
  const { releases, health, alerts } =
    client === null
      ? await withOrchestrator(ctx, async (orch) => {
          await orch.store.apps.get(app);
          return {
            releases: await orch.store.apps.releases.list(app),
            health: await orch.store.health.list(app, { limit: json ? 100 : SHOWN_HEALTH }),
            alerts: await orch.store.alerts.list({ app, limit: json ? 100 : SHOWN_ALERTS }),
          };
        })
      : await showApp(client, app);
  if (json) {
    printJson(ctx.io, { app, releases, health, alerts });
    return 0;
  }
  ctx.io.out(`${app}\n  TARGET        RELEASE                            STATUS       WORKFLOW\n`);
  for (const r of releases) {
    const mark = r.status === 'active' ? '*' : ' ';
    ctx.io.out(
      `${mark} ${r.target.padEnd(13)} ${r.releaseId.padEnd(34)} ${r.status.padEnd(12)} ${r.workflowId ?? '-'}\n`,
    );
  }
  ctx.io.out(health.length === 0 ? 'health: no checks recorded yet\n' : 'health, newest first:\n');
  for (const result of health.slice(0, SHOWN_HEALTH)) ctx.io.out(healthLine(result));
  ctx.io.out(alerts.length === 0 ? 'alerts: none\n' : 'alerts, newest first:\n');
  for (const alert of alerts.slice(0, SHOWN_ALERTS)) ctx.io.out(`  ${alertLine(alert)}`);
  return 0;
}

/**
 * The server answers once the rollback is verified; its recorded steps and log are then replayed
 * from the event stream, so the lines match the embedded ones (after the fact, not live).
 */
async function remoteRollback(
  ctx: CommandContext,
  client: RemoteClient,
  app: string,
  request: { target: string; to?: string },
): Promise<RollbackOutcome> {
  const outcome = await rollback(client, app, request);
  const show = plainView(ctx.io);
  await followWorkflow(client, outcome.workflowId, {
    onEvent: (event) => show(engineEvent(outcome.workflowId, event)),
  });
  return outcome;
}

export async function rollbackCommand(
  ctx: CommandContext,
  app: string,
  opts: { target: string; to?: string },
): Promise<number> {
  const request = { target: opts.target, ...(opts.to === undefined ? {} : { to: opts.to }) };
  const client = remoteClient(ctx);
  const outcome =
    client === null
      ? await withOrchestrator(ctx, (orch) => {
          orch.bus.subscribe(plainView(ctx.io));
          return rollbackApp(orch, { app, ...request }, cliActor());
        })
      : await remoteRollback(ctx, client, app, request);
  ctx.io.out(
    `${app} on ${outcome.target}: rolled back from ${outcome.from ?? 'nothing'} to ${outcome.to} (workflow ${outcome.workflowId})\n`,
  );
  return 0;
}
