import type { RunResult } from '../exec/index.js';
import { planStepsToJson } from '../plan/index.js';
import type { LogChunk, Target } from '../store/index.js';
import type { PlannedDeployment } from './plan-deployment.js';

/**
 * The JSON shapes a client sees, whichever door it came through (CLI `--json`, REST, MCP): one
 * definition each, so the three never drift apart.
 */

/** A registered target: never its key. */
export const targetView = (t: Target) => ({
  name: t.name,
  host: t.host,
  port: t.port,
  user: t.user,
  auth: t.auth.kind,
  host_key_fingerprint: t.hostKeyFingerprint,
  policy: t.policyProfile,
  root: t.root,
  labels: t.labels,
  created_at: t.createdAt,
});

/** One command's result as the guard returned it (tails already redacted). */
export const runResultView = (result: RunResult) => ({
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

/** One stored log chunk (or a published log event, which carries the same fields). */
export const logChunkView = (c: Pick<LogChunk, 'seq' | 'target' | 'step' | 'stream' | 'at' | 'text'>) => ({
  seq: c.seq,
  target: c.target,
  step: c.step,
  stream: c.stream,
  at: c.at,
  text: c.text,
});

/** A dry-run plan with every command as data. */
export const planView = (result: PlannedDeployment) => ({
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
});
