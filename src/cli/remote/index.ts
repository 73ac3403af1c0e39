import { AutomatosError } from '../../core/index.js';
import type { CommandContext } from '../context.js';
import { RemoteClient } from './client.js';
import { remoteSettings, URL_ENV } from './config.js';

/** The server client when AUTOMATOS_URL is set (remote mode); null to run the command embedded. */
export function remoteClient(ctx: CommandContext): RemoteClient | null {
  const settings = remoteSettings(ctx);
  return settings === null ? null : new RemoteClient(settings);
}

/**
 * A command with no API route refuses remote mode rather than quietly acting on this machine's data
 * dir while the operator means the server's. `why` says what to do instead.
 */
export function refuseRemote(ctx: CommandContext, command: string, why: string): void {
  if ((ctx.io.env[URL_ENV]?.trim() ?? '') === '') return;
  throw new AutomatosError(
    'AUT_USAGE',
    `${command} does not run against the server at ${URL_ENV}: ${why}; unset ${URL_ENV} to run it on this machine's data dir`,
  );
}

export type { RemoteClient } from './client.js';
export { followWorkflow } from './follow.js';
export { engineEvent } from './engine-event.js';
export { followRemote, remoteDeploy } from './deploy.js';
export { sourceForServer } from './source.js';
export { approveRemote, getWorkflow, listWorkflows, rejectRemote, stopWorkflow } from './workflows.js';
export type { WorkflowRecord } from './workflows.js';
export { addTarget, checkTarget, listTargets, removeTarget, showTarget } from './targets.js';
export { listSecrets, removeSecret, setSecret } from './secrets.js';
export { listAudit, verifyAudit } from './audit.js';
export { execute } from './exec.js';
export type { RunResultJson } from './exec.js';
export { listApps, rollback, showApp } from './apps.js';
export { planRemote } from './plan.js';
