import type { DeployOutcome, Orchestrator } from '../engine/index.js';
import type { CommandContext } from './context.js';
import { formatOutcome } from './format/deploy.js';
import { parkedLines } from './format/review.js';
import { printJson } from './io.js';

/**
 * How a deployment run here ended, for `deploy` and `workflows approve`: the summary (or JSON),
 * how to answer a plan the review parked, and the exit code (0 only when every target verified).
 */
export async function reportOutcome(
  ctx: CommandContext,
  orch: Orchestrator,
  outcome: DeployOutcome,
  json: boolean,
): Promise<number> {
  if (json) printJson(ctx.io, outcome);
  else ctx.io.out(formatOutcome(outcome));
  if (!json && outcome.status === 'awaiting_approval') {
    ctx.io.out(parkedLines(await orch.store.workflows.get(outcome.workflowId)));
  }
  return outcome.status === 'succeeded' ? 0 : 1;
}
