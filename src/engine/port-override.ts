import { AutomatosError } from '../core/index.js';
import { commandWithPort, portFromCommand } from '../detect/index.js';
import type { AiModule } from '../manifest/index.js';

/** The same range the manifest's `port` accepts. */
export function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new AutomatosError('AUT_INVALID_INPUT', `--port must be an integer from 1 to 65535, got ${port}`, {
      details: { port },
    });
  }
  return port;
}

/**
 * The module as this deployment runs it on `port`: PORT in the env file, the health check and the
 * recorded snapshot (which resume and rollback reuse) all follow `module.port`. A tier-2 start
 * command was written by detection with the detected port in it, so it gets the new one; a tier-1
 * start_command runs as written, and naming another port there is worth a warning.
 */
export function overridePort(
  module: AiModule,
  tier: 1 | 2,
  port: number,
): { module: AiModule; warnings: string[] } {
  checkPort(port);
  if (port === module.port) return { module, warnings: [] };
  if (tier === 2) {
    const start = commandWithPort(module.start_command, module.port, port);
    return { module: { ...module, port, start_command: start ?? module.start_command }, warnings: [] };
  }
  const named = portFromCommand(module.start_command, 'start_command');
  const warnings =
    named === null || named.port === port
      ? []
      : [
          `warning: --port ${port}: start_command names port ${named.port} itself; PORT and the health ` +
            `check use ${port}, the command is run as written`,
        ];
  return { module: { ...module, port }, warnings };
}
