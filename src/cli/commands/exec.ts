import { AutomatosError } from '../../core/index.js';
import { cliActor, runExec, runResultView } from '../../engine/index.js';
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

/**
 * Embedded: through this machine's engine, the output streamed as it comes (unless --json),
 * redacted of the target's app secrets line by line. The command comes back as recorded.
 */
async function embeddedExec(
  ctx: CommandContext,
  command: string,
  opts: ExecOptions,
  timeoutSec: number | undefined,
  signal: AbortSignal,
): Promise<{ command: string; result: RunResultJson }> {
  const outcome = await withOrchestrator(ctx, (orch) =>
    runExec(orch, {
      target: opts.target,
      command,
      cwd: opts.cwd ?? '/',
      signal,
      ...(timeoutSec === undefined ? {} : { timeoutMs: timeoutSec * 1000 }),
      ...(opts.json === true
        ? {}
        : { onStdout: (text: string) => ctx.io.out(text), onStderr: (text: string) => ctx.io.err(text) }),
      actor: cliActor(),
    }),
  );
  return { command: outcome.command, result: runResultView(outcome.result) };
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
): Promise<{ command: string; result: RunResultJson } | null> {
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
  // The server does not send the command back: the one typed here is shown.
  return { command, result };
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
    const ran =
      client === null
        ? await embeddedExec(ctx, command, opts, timeoutSec, abort.signal)
        : await remoteExec(ctx, client, command, opts, timeoutSec, abort.signal);
    if (ran === null) return 130;
    const { result } = ran;
    if (opts.json === true) printJson(ctx.io, { target: opts.target, command: ran.command, ...result });
    if (result.timed_out)
      ctx.io.err(
        `error: timed out after ${timeoutSec === undefined ? "the server's default timeout" : `${timeoutSec}s`}; the remote process group was stopped\n`,
      );
    return result.exit_code ?? (result.timed_out ? 124 : 130);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
