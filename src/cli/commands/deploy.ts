import { AutomatosError } from '../../core/index.js';
import { cliActor, deploy, silentEvents } from '../../engine/index.js';
import type { DeployEvents, DeployOutcome } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';

export interface DeployOptions {
  target: string;
  ref?: string;
  batch?: string;
  json?: boolean;
}

/** Step changes as lines, logs prefixed by target and step, so several targets stay readable. */
export function streamingEvents(ctx: CommandContext): DeployEvents {
  return {
    step: (target, step, status, detail) =>
      ctx.io.err(`[${target}] ${step.padEnd(8)} ${status}${detail === undefined ? '' : `: ${detail}`}\n`),
    log: (target, step, stream, text) => {
      const prefix = `[${target}] ${step.padEnd(8)} | `;
      const lines = text.replace(/\n$/, '').split('\n');
      (stream === 'stdout' ? ctx.io.out : ctx.io.err)(`${lines.map((line) => prefix + line).join('\n')}\n`);
    },
  };
}

function summary(outcome: DeployOutcome): string {
  const lines = [
    `${outcome.app} release ${outcome.releaseId}: ${outcome.status} (workflow ${outcome.workflowId})`,
  ];
  for (const t of outcome.targets) {
    const serving = t.serving === null ? 'nothing serving' : `serving ${t.serving} at ${t.url}`;
    lines.push(
      `  ${t.target.padEnd(12)} ${t.status.padEnd(12)} ${serving}${t.error === null ? '' : `\n    ${t.error.replace(/\n/g, '\n    ')}`}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Exit 0 only when every target verified healthy on the new release. */
export async function deployCommand(
  ctx: CommandContext,
  source: string,
  opts: DeployOptions,
): Promise<number> {
  const targets = opts.target
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const batch = opts.batch === undefined ? undefined : Number(opts.batch);
  if (batch !== undefined && !(Number.isInteger(batch) && batch > 0)) {
    throw new AutomatosError('AUT_USAGE', `--batch must be a positive integer, got ${opts.batch}`);
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const outcome = await withOrchestrator(ctx, (orch) =>
      deploy(
        orch,
        {
          source,
          targets,
          dataDir: ctx.dataDir,
          cwd: ctx.io.cwd,
          signal: abort.signal,
          ...(opts.ref === undefined ? {} : { ref: opts.ref }),
          ...(batch === undefined ? {} : { batch }),
        },
        cliActor(),
        opts.json === true ? silentEvents : streamingEvents(ctx),
      ),
    );
    if (opts.json === true) printJson(ctx.io, outcome);
    else ctx.io.out(summary(outcome));
    return outcome.status === 'succeeded' ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
