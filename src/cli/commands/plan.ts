import {
  cliActor,
  LOCAL_TARGET,
  planDeployment,
  loadPolicyConfig,
  planView,
  reviewPlanned,
  targetFacts,
} from '../../engine/index.js';
import { createPolicyEngine } from '../../policy/index.js';
import { withOrchestrator } from '../orchestrator.js';
import type { CommandContext } from '../context.js';
import { formatPlan } from '../format/plan.js';
import { printJson } from '../io.js';
import { parsePortOption } from '../port-option.js';
import { planRemote, remoteClient, sourceForServer } from '../remote/index.js';

export async function planCommand(
  ctx: CommandContext,
  source: string,
  opts: { target: string; ref?: string; port?: string; prompt?: string; json?: boolean },
): Promise<number> {
  const options = {
    ...(opts.ref === undefined ? {} : { ref: opts.ref }),
    ...(opts.port === undefined ? {} : { port: parsePortOption(opts.port) }),
  };
  const request = {
    source,
    dataDir: ctx.dataDir,
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    ...options,
    ...(opts.prompt === undefined ? {} : { prompt: opts.prompt }),
  };
  const client = remoteClient(ctx);
  // Remote, the server plans for its own targets, with its own policy: what a deploy there would run.
  // An SSH target's facts (user, root, systemd, package manager) come from a read-only probe of the
  // host, through the guard and into the audit log; none of the plan's commands run.
  const plan =
    client !== null
      ? await planRemote(client, {
          source: await sourceForServer(ctx.io, source),
          target: opts.target,
          ...options,
          ...(opts.prompt === undefined ? {} : { prompt: opts.prompt }),
        })
      : opts.target === LOCAL_TARGET
        ? await reviewedLocally(request, ctx)
        : await withOrchestrator(ctx, async (orch) => {
            const planned = await planDeployment(request, await targetFacts(orch, opts.target, cliActor()));
            const target = await orch.target(opts.target);
            return planView(planned, await reviewPlanned(planned, { policy: orch.policy, target }));
          });
  if (opts.json === true) printJson(ctx.io, plan);
  else ctx.io.out(formatPlan(plan));
  return 0;
}

/**
 * `local` is planned without opening the store: the policy the guard would apply is read from the
 * data dir's policy file (or AUTOMATOS_POLICY_FILE) and every command judged with it.
 */
async function reviewedLocally(request: Parameters<typeof planDeployment>[0], ctx: CommandContext) {
  const planned = await planDeployment(request);
  const policy = createPolicyEngine(await loadPolicyConfig(ctx.dataDir, ctx.io.env));
  return planView(planned, await reviewPlanned(planned, { policy }));
}
