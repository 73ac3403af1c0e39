import type { AiModule } from '../../manifest/index.js';
import { userScript, withEnvFile } from '../shell.js';
import { appSandbox } from '../sandbox.js';
import type { AppLayout, HealthProbe, PlanStep, TargetFacts } from '../types.js';

/**
 * The probe runs from the orchestrator; for SSH targets it travels through the connection's port
 * forwarding, so the target needs neither curl nor an open port.
 */
export function verifyStep(module: AiModule, layout: AppLayout, target: TargetFacts): PlanStep {
  const hc = module.health_check;
  const description = 'Check the new release is healthy; roll back automatically if it is not';
  if (!hc.enabled) {
    return { name: 'verify', description, commands: [], skipped: 'health_check.enabled is false' };
  }
  const probe: HealthProbe = {
    type: hc.type,
    host: '127.0.0.1',
    port: module.port,
    path: hc.type === 'http' ? hc.endpoint : null,
    expectStatus: hc.type === 'http' ? hc.expected_status : null,
    command: hc.type === 'command' ? (hc.command ?? null) : null,
    intervalSec: hc.interval,
    timeoutSec: hc.timeout,
    retries: hc.retries,
    startPeriodSec: hc.start_period,
    via: target.reach,
  };
  const commands =
    hc.type === 'command' && hc.command !== undefined
      ? [
          {
            command: withEnvFile(layout.envFile, userScript(hc.command, 'health_check.command')),
            purpose: 'health check command (exit 0 is healthy)',
            cwd: layout.current,
            timeoutSec: hc.timeout,
            sandbox: appSandbox(module, layout, target),
          },
        ]
      : [];
  return { name: 'verify', description, commands, probe };
}
