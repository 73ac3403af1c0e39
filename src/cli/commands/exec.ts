import { AutomatosError } from '../../core/index.js';
import { cliActor, runResultView } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';

export interface ExecOptions {
  target: string;
  cwd?: string;
  timeout?: string;
  json?: boolean;
}

/** Exits with the remote exit code; 3 when the policy denies the command (it never runs). */
export async function execCommand(ctx: CommandContext, words: string[], opts: ExecOptions): Promise<number> {
  if (words.length === 0) throw new AutomatosError('AUT_USAGE', 'give the command to run after --');
  const timeoutSec = opts.timeout === undefined ? undefined : Number(opts.timeout);
  if (timeoutSec !== undefined && !(timeoutSec > 0)) {
    throw new AutomatosError(
      'AUT_USAGE',
      `--timeout must be a positive number of seconds, got ${opts.timeout}`,
    );
  }
  const command = words.join(' ');
  const stream = opts.json !== true;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await withOrchestrator(ctx, async (orch) => {
      const target = await orch.target(opts.target);
      return orch.guard.run(
        target,
        command,
        {
          cwd: opts.cwd ?? '/',
          signal: abort.signal,
          ...(timeoutSec === undefined ? {} : { timeoutMs: timeoutSec * 1000 }),
          ...(stream
            ? {
                onStdout: (c: Buffer) => ctx.io.out(c.toString()),
                onStderr: (c: Buffer) => ctx.io.err(c.toString()),
              }
            : {}),
        },
        cliActor(),
      );
    });
    if (!stream) {
      printJson(ctx.io, {
        target: opts.target,
        command,
        ...runResultView(result),
      });
    }
    if (result.timedOut)
      ctx.io.err(`error: timed out after ${timeoutSec}s; the remote process group was stopped\n`);
    return result.exitCode ?? (result.timedOut ? 124 : 130);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
