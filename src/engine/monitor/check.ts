import type { Actor, GuardedTarget } from '../../exec/index.js';
import { appLayout, renderCommand, verifyStep } from '../../plan/index.js';
import type { PlanStep, TargetFacts } from '../../plan/index.js';
import { createRedactor } from '../../security/index.js';
import type { Release } from '../../store/index.js';
import { appSecretValues } from '../deploy/app-secrets.js';
import { recordedModule } from '../deploy/rollback.js';
import { probeOnce } from '../health/index.js';
import { LOCAL_TARGET, localTargetFacts } from '../local-target.js';
import type { Orchestrator } from '../orchestrator.js';
import { defaultRoot } from '../probe.js';
import type { HealthSample } from './record.js';

export type CheckOutcome = { kind: 'skipped'; reason: string } | { kind: 'checked'; sample: HealthSample };

/**
 * The facts the verify step is built from. Only `root` (where the app lives) and `reach` shape it;
 * the rest would take a round of commands on the host, which a check every few seconds should not
 * pay for.
 */
async function monitoredTarget(
  orch: Orchestrator,
  name: string,
): Promise<{ target: GuardedTarget; facts: TargetFacts }> {
  const target = await orch.target(name);
  const sandbox = { sandbox: target.sandbox, protectedPaths: target.protectedPaths ?? [] };
  if (name === LOCAL_TARGET) return { target, facts: { ...localTargetFacts(), ...sandbox } };
  const stored = await orch.store.targets.get(name);
  return {
    target,
    facts: {
      name,
      root: stored.root ?? defaultRoot(stored.user, target.home),
      user: stored.user,
      isRoot: stored.user === 'root',
      hasSystemd: false,
      packageManager: null,
      reach: 'ssh-forward',
      ...sandbox,
    },
  };
}

/**
 * One attempt of the health check a release was deployed with, through the guard (a forwarded
 * connection, or the check command under the target's policy). Retries are the verify step's
 * business: here the next round is the retry. Throws only when the check cannot be set up (the
 * target or the store is unavailable).
 */
export async function checkRelease(
  orch: Orchestrator,
  release: Release,
  actor: Actor,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  const { app, releaseId } = release;
  if (release.stoppedAt !== null) {
    return { kind: 'skipped', reason: `stopped with \`automatos apps stop\` at ${release.stoppedAt}` };
  }
  const module = await recordedModule(orch, app, release.target, releaseId);
  if (module === null) {
    return { kind: 'skipped', reason: `the manifest of release ${releaseId} is not recorded` };
  }
  const { target, facts } = await monitoredTarget(orch, release.target);
  const step: PlanStep = verifyStep(module, appLayout(facts.root, app, releaseId), facts);
  if (step.probe === undefined) return { kind: 'skipped', reason: step.skipped ?? 'no health check' };
  const secrets = Object.values(await appSecretValues(orch, app));
  const check = step.commands[0];
  const result = await probeOnce(step.probe, (host, port) => orch.guard.connect(target, host, port, actor), {
    ...(signal === undefined ? {} : { signal }),
    ...(check === undefined
      ? {}
      : {
          runCommand: ({ timeoutMs, signal: stop }) =>
            orch.guard.run(
              target,
              renderCommand(check.command),
              {
                cwd: check.cwd ?? '/',
                timeoutMs,
                secrets,
                ...(check.sandbox === undefined ? {} : { sandbox: check.sandbox }),
                ...(stop === undefined ? {} : { signal: stop }),
              },
              actor,
            ),
        }),
  });
  return {
    kind: 'checked',
    sample: {
      app,
      target: release.target,
      releaseId,
      healthy: result.healthy,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      // Response bodies and command output are stored and shown: secrets out.
      detail: createRedactor(secrets)(result.detail),
    },
  };
}
