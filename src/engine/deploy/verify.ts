import { AutomatosError } from '../../core/index.js';
import type { AiModule } from '../../manifest/index.js';
import { buildPlan, renderCommand, rollbackCommands, stopCommands } from '../../plan/index.js';
import { createRedactor } from '../../security/index.js';
import { verifyHealth } from '../health/index.js';
import type { HealthVerdict } from '../health/index.js';
import { runPlanned, type TargetRun } from './run-target.js';

/**
 * The verify step: the manifest's health check, through the target's own connection. Inside a
 * rollback it reports as part of the rollback step, so the failed verify stays on record.
 */
export async function verifyTarget(
  run: TargetRun,
  phase: 'verify' | 'rollback' = 'verify',
): Promise<HealthVerdict | null> {
  const step = run.plan.steps.find((s) => s.name === 'verify');
  const { target } = run;
  const events =
    phase === 'verify' ? run.events : { step: () => undefined, log: run.events.log.bind(run.events) };
  if (step === undefined || step.probe === undefined) {
    events.step(target.name, 'verify', 'skipped', step?.skipped ?? 'no health check');
    return null;
  }
  events.step(target.name, 'verify', 'running');
  const check = step.commands[0];
  // Response bodies and check output are shown to the operator and stored: secrets out.
  const secrets = Object.values(run.secrets);
  const shown = createRedactor(secrets);
  const verdict = await verifyHealth(step.probe, {
    connect: (host, port) => run.guard.connect(target, host, port, run.actor),
    ...(run.signal === undefined ? {} : { signal: run.signal }),
    ...(check === undefined
      ? {}
      : {
          runCommand: ({ timeoutMs, signal }) =>
            run.guard.run(
              target,
              renderCommand(check.command),
              {
                cwd: check.cwd ?? '/',
                timeoutMs,
                secrets,
                ...(check.sandbox === undefined ? {} : { sandbox: check.sandbox }),
                ...(signal === undefined ? {} : { signal }),
              },
              run.actor,
            ),
        }),
    onAttempt: (a) =>
      events.log(
        target.name,
        phase,
        'system',
        `attempt ${a.attempt}: ${a.healthy ? 'healthy' : 'unhealthy'} — ${shown(a.detail)}\n`,
      ),
  });
  const reason = shown(verdict.reason);
  if (!verdict.healthy) {
    events.step(target.name, 'verify', 'failed', reason);
    throw new AutomatosError('AUT_DEPLOY_UNHEALTHY', `verify failed on ${target.name}: ${reason}`, {
      details: {
        target: target.name,
        attempts: verdict.attempts.map((a) => ({ ...a, detail: shown(a.detail) })),
      },
    });
  }
  events.step(target.name, 'verify', 'succeeded', reason);
  return verdict;
}

/**
 * Back to the release that served before: switch `current` and restart it. On a first deploy there
 * is nothing to go back to; the new release is stopped instead of left serving broken.
 */
export async function rollbackTarget(
  cancellable: TargetRun,
  previous: string | null,
  previousModule: AiModule | null = null,
): Promise<void> {
  // A rollback started because the operator pressed Ctrl-C must still run to the end; the old
  // release restarts with the manifest it was deployed with, when that is on record.
  const module = previousModule ?? cancellable.module;
  const plan =
    previousModule === null || previous === null
      ? cancellable.plan
      : buildPlan({ module, sourceDir: '/', releaseId: previous, target: cancellable.plan.target });
  const run: TargetRun = { ...cancellable, signal: undefined, module, plan };
  const { target, events } = run;
  events.step(
    target.name,
    'rollback',
    'running',
    previous === null ? 'no previous release: stopping the app' : `to ${previous}`,
  );
  try {
    const commands =
      previous === null
        ? stopCommands(run.plan.runtime, run.module, run.plan.layout)
        : rollbackCommands(run.module, run.plan.layout, run.plan.target, previous);
    for (const planned of commands) await runPlanned(run, 'rollback', planned);
    if (previous !== null) await verifyTarget(run, 'rollback');
  } catch (error) {
    events.step(target.name, 'rollback', 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
  events.step(target.name, 'rollback', 'succeeded');
}
