import { AutomatosError } from '../../core/index.js';
import { cliActor, runResultView } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import { execute, remoteClient, type RemoteClient, type RunResultJson } from '../remote/index.js';

export interface ExecOptions {
  target: string;
  cwd?: string;
  timeout?: string;
  json?: boolean;
}

/** Embedded: through this machine's guard, the output streamed as it comes (unless --json). */
async function embeddedExec(
  ctx: CommandContext,
  command: string,
  opts: ExecOptions,
  timeoutSec: number | undefined,
  signal: AbortSignal,
): Promise<RunResultJson> {
  const result = await withOrchestrator(ctx, async (orch) =>
    orch.guard.run(
      await orch.target(opts.target),
      command,
      {
        cwd: opts.cwd ?? '/',
        signal,
        ...(timeoutSec === undefined ? {} : { timeoutMs: timeoutSec * 1000 }),
        ...(opts.json === true
          ? {}
          : {
              onStdout: (c: Buffer) => ctx.io.out(c.toString()),
              onStderr: (c: Buffer) => ctx.io.err(c.toString()),
            }),
      },
      cliActor(),
    ),
  );
  return runResultView(result);
}

/**
 * Remote: the server answers when the command ends, with its output's tails; nothing streams. Null
 * when interrupted: closing the connection is what makes the server stop the remote process group.
 */
async function remoteExec(
  ctx: CommandContext,
  client: RemoteClient,
  command: string,
  opts: ExecOptions,
  timeoutSec: number | undefined,
  signal: AbortSignal,
): Promise<RunResultJson | null> {
  let result: RunResultJson;
  try {
    result = await execute(
      client,
      {
        target: opts.target,
        command,
        ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
        ...(timeoutSec === undefined ? {} : { timeoutSec }),
      },
      signal,
    );
  } catch (error) {
    if (!signal.aborted) throw error;
    ctx.io.err('error: interrupted; the server stops the remote process group\n');
    return null;
  }
  if (opts.json !== true) {
    ctx.io.out(result.stdout);
    ctx.io.err(result.stderr);
  }
  return result;
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
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const client = remoteClient(ctx);
    const result =
      client === null
        ? await embeddedExec(ctx, command, opts, timeoutSec, abort.signal)
        : await remoteExec(ctx, client, command, opts, timeoutSec, abort.signal);
    if (result === null) return 130;
    if (opts.json === true) printJson(ctx.io, { target: opts.target, command, ...result });
    if (result.timed_out)
      ctx.io.err(
        `error: timed out after ${timeoutSec === undefined ? "the server's default timeout" : `${timeoutSec}s`}; the remote process group was stopped\n`,
      );
    return result.exit_code ?? (result.timed_out ? 124 : 130);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
