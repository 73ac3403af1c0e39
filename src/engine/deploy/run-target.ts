import { posix } from 'node:path';
import { AutomatosError } from '../../core/index.js';
import type { Actor, GuardedExecutor, GuardedTarget } from '../../exec/index.js';
import type { AiModule } from '../../manifest/index.js';
import { argv, renderCommand } from '../../plan/index.js';
import type { DeploymentPlan, PlannedCommand, PlanStep, StepName } from '../../plan/index.js';
import { createRedactor } from '../../security/index.js';
import { renderEnvFile } from './env-file.js';
import { redactingStream } from './redacting-stream.js';
import type { DeployEvents, Phase } from './events.js';

/** Everything needed to run one target's plan through the guard. */
export interface TargetRun {
  guard: GuardedExecutor;
  target: GuardedTarget;
  plan: DeploymentPlan;
  module: AiModule;
  /** Steps this workflow already finished here before a crash: a resumed run does not repeat them. */
  done?: ReadonlySet<string>;
  /** Decrypted secret values by name: injected only into the env file, redacted everywhere else. */
  secrets: Readonly<Record<string, string>>;
  actor: Actor;
  events: DeployEvents;
  signal?: AbortSignal;
}

function stepFailed(
  run: TargetRun,
  step: Phase,
  why: string,
  details: Record<string, unknown> = {},
): AutomatosError {
  return new AutomatosError('AUT_DEPLOY_STEP_FAILED', `${step} failed on ${run.target.name}: ${why}`, {
    details: { target: run.target.name, step, ...details },
  });
}

/** Runs one planned command; a non-zero exit fails the step with the output's tail. */
export async function runPlanned(run: TargetRun, step: Phase, planned: PlannedCommand): Promise<string> {
  const { guard, target, actor, events } = run;
  const secretValues = Object.values(run.secrets);
  // Streamed output is logged and stored: a build that echoes a secret must not put it there.
  const shown = createRedactor(secretValues);
  if (planned.stdin?.kind === 'tar') {
    const result = await guard.upload(
      target,
      planned.stdin.from,
      run.plan.layout.releaseDir,
      { exclude: planned.stdin.exclude, ...(run.signal === undefined ? {} : { signal: run.signal }) },
      actor,
    );
    events.log(
      target.name,
      step,
      'system',
      `uploaded ${result.bytes} bytes in ${Math.round(result.durationMs)} ms\n`,
    );
    return '';
  }
  const stdin =
    planned.stdin?.kind === 'env_file'
      ? renderEnvFile(run.module, run.secrets)
      : planned.stdin?.kind === 'text'
        ? planned.stdin.content
        : undefined;
  const stdout = redactingStream(shown, (text) => events.log(target.name, step, 'stdout', text));
  const stderr = redactingStream(shown, (text) => events.log(target.name, step, 'stderr', text));
  const result = await guard
    .run(
      target,
      renderCommand(planned.command),
      {
        cwd: planned.cwd ?? '/',
        secrets: secretValues,
        ...(planned.sandbox === undefined ? {} : { sandbox: planned.sandbox }),
        ...(stdin === undefined ? {} : { stdin }),
        ...(planned.timeoutSec === undefined ? {} : { timeoutMs: planned.timeoutSec * 1000 }),
        ...(run.signal === undefined ? {} : { signal: run.signal }),
        onStdout: (chunk) => stdout.write(chunk),
        onStderr: (chunk) => stderr.write(chunk),
      },
      actor,
    )
    .finally(() => {
      stdout.end();
      stderr.end();
    });
  if (result.cancelled)
    throw new AutomatosError('AUT_EXEC_CANCELLED', `${step} on ${target.name} was cancelled`);
  // The command goes with the failure, for the diagnoser of a tier-2 workflow.
  const command = shown(renderCommand(planned.command));
  if (result.timedOut)
    throw stepFailed(run, step, `${planned.purpose}: timed out after ${planned.timeoutSec}s`, { command });
  if (result.exitCode !== 0) {
    const tail =
      result.stderrTail.trim().split('\n').slice(-5).join('\n') ||
      result.stdoutTail.trim().split('\n').slice(-5).join('\n');
    throw stepFailed(
      run,
      step,
      `${planned.purpose} exited ${result.exitCode ?? result.signal}${tail === '' ? '' : `:\n${tail}`}`,
      { exitCode: result.exitCode, command },
    );
  }
  return result.stdoutTail;
}

/** Runs the commands of the named steps in plan order. */
export async function runSteps(run: TargetRun, names: readonly StepName[]): Promise<void> {
  for (const step of run.plan.steps.filter((s): s is PlanStep => names.includes(s.name))) {
    if (run.done?.has(step.name) === true) {
      run.events.log(run.target.name, step.name, 'system', `${step.name} already done before the restart\n`);
      continue;
    }
    if (step.skipped !== undefined) {
      run.events.step(run.target.name, step.name, 'skipped', step.skipped);
      continue;
    }
    run.events.step(run.target.name, step.name, 'running');
    try {
      for (const planned of step.commands) await runPlanned(run, step.name, planned);
    } catch (error) {
      run.events.step(
        run.target.name,
        step.name,
        'failed',
        error instanceof Error ? error.message : String(error),
      );
      throw error;
    }
    run.events.step(run.target.name, step.name, 'succeeded');
  }
}

/** The release `current` points at before this deployment switches it, or null on a first deploy. */
export async function currentRelease(run: TargetRun): Promise<string | null> {
  const { layout } = run.plan;
  const result = await run.guard.run(
    run.target,
    renderCommand(argv('readlink', '--', layout.current)),
    { cwd: '/' },
    run.actor,
  );
  const link = result.stdoutTail.trim();
  if (result.exitCode !== 0 || link === '') return null;
  return posix.dirname(link) === layout.releasesDir ? posix.basename(link) : null;
}
