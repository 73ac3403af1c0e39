import {
  cliActor,
  factsFromReport,
  LOCAL_TARGET,
  planDeployment,
  planView,
  probeTarget,
} from '../../engine/index.js';
import { withOrchestrator } from '../orchestrator.js';
import type { CommandContext } from '../context.js';
import { formatPlan } from '../format/plan.js';
import { printJson } from '../io.js';
import { parsePortOption } from '../port-option.js';

export async function planCommand(
  ctx: CommandContext,
  source: string,
  opts: { target: string; ref?: string; port?: string; json?: boolean },
): Promise<number> {
  const request = {
    source,
    dataDir: ctx.dataDir,
    cwd: ctx.io.cwd,
    ...(opts.ref === undefined ? {} : { ref: opts.ref }),
    ...(opts.port === undefined ? {} : { port: parsePortOption(opts.port) }),
  };
  // An SSH target's facts (user, root, systemd, package manager) come from a read-only probe of the
  // host, through the guard and into the audit log; none of the plan's commands run.
  const result =
    opts.target === LOCAL_TARGET
      ? await planDeployment(request)
      : await withOrchestrator(ctx, async (orch) =>
          planDeployment(request, factsFromReport(await probeTarget(orch, opts.target, cliActor()))),
        );
  if (opts.json === true) printJson(ctx.io, planView(result));
  else ctx.io.out(formatPlan(result));
  return 0;
}
