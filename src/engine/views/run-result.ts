import { z } from 'zod';
import type { RunResult } from '../../exec/index.js';

/** One command's result as the guard returned it (tails already redacted). */
export const RunResultViewSchema = z.strictObject({
  exit_code: z.number().int().nullable().describe('null when the command was killed by a signal'),
  signal: z.string().nullable(),
  duration_ms: z.number().int().min(0),
  timed_out: z.boolean(),
  cancelled: z.boolean(),
  stdout: z.string().describe('the tail of stdout, secrets redacted'),
  stderr: z.string().describe('the tail of stderr, secrets redacted'),
  stdout_bytes: z.number().int().min(0),
  stderr_bytes: z.number().int().min(0),
});
export type RunResultView = z.infer<typeof RunResultViewSchema>;

export const runResultView = (result: RunResult): RunResultView => ({
  exit_code: result.exitCode,
  signal: result.signal,
  duration_ms: Math.round(result.durationMs),
  timed_out: result.timedOut,
  cancelled: result.cancelled,
  stdout: result.stdoutTail,
  stderr: result.stderrTail,
  stdout_bytes: result.stdoutBytes,
  stderr_bytes: result.stderrBytes,
});
