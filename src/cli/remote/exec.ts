import type { runResultView } from '../../engine/index.js';
import type { RemoteClient } from './client.js';

export type RunResultJson = ReturnType<typeof runResultView>;

/**
 * `POST /execute`: the server runs the command through its guard and answers when it ends, with the
 * output's tails (nothing streams). Without a timeout the server's default applies. Aborting the
 * request (Ctrl-C) closes the connection, which stops the remote process group.
 */
export async function execute(
  client: RemoteClient,
  input: { target: string; command: string; cwd?: string; timeoutSec?: number },
  signal?: AbortSignal,
): Promise<RunResultJson> {
  const body = {
    target: input.target,
    command: input.command,
    ...(input.cwd === undefined ? {} : { working_directory: input.cwd }),
    ...(input.timeoutSec === undefined ? {} : { timeout: input.timeoutSec }),
  };
  const result = (await client.request('POST', '/execute', {
    body,
    ...(signal === undefined ? {} : { signal }),
  })) as RunResultJson & { target: string; profile: string };
  return {
    exit_code: result.exit_code,
    signal: result.signal,
    duration_ms: result.duration_ms,
    timed_out: result.timed_out,
    cancelled: result.cancelled,
    stdout: result.stdout,
    stderr: result.stderr,
    stdout_bytes: result.stdout_bytes,
    stderr_bytes: result.stderr_bytes,
  };
}
