import { planDeployment } from '../../engine/index.js';
import type { PlannedDeployment } from '../../engine/index.js';
import { planStepsToJson } from '../../plan/index.js';
import type { CommandContext } from '../context.js';
import { formatPlan } from '../format/plan.js';
import { printJson } from '../io.js';

export function planToJson(result: PlannedDeployment) {
  return {
    tier: result.tier,
    source: result.source,
    manifest_file: result.manifestFile,
    target: result.plan.target,
    runtime: result.plan.runtime,
    release_id: result.plan.releaseId,
    layout: result.plan.layout,
    module: result.module,
    steps: planStepsToJson(result.plan),
    on_failure: result.plan.onFailure,
    warnings: result.warnings,
    detection: result.detection,
  };
}

export async function planCommand(
  ctx: CommandContext,
  source: string,
  opts: { target: string; ref?: string; json?: boolean },
): Promise<number> {
  const result = await planDeployment({
    source,
    target: opts.target,
    dataDir: ctx.dataDir,
    cwd: ctx.io.cwd,
    ...(opts.ref === undefined ? {} : { ref: opts.ref }),
  });
  if (opts.json === true) printJson(ctx.io, planToJson(result));
  else ctx.io.out(formatPlan(result));
  return 0;
}
