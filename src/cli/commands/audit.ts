import { AutomatosError } from '../../core/index.js';
import type { AuditEvent } from '../../audit/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import { listAudit, remoteClient, verifyAudit } from '../remote/index.js';
import { formatVerify } from './audit-verify-text.js';

export interface AuditListOptions {
  target?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

function formatEvent(e: AuditEvent): string {
  const verdict = e.decision === null ? '' : ` ${e.decision}${e.rule === null ? '' : `(${e.rule})`}`;
  const outcome = e.result === null ? '' : ` exit=${e.result.exitCode ?? '-'} ${e.result.durationMs}ms`;
  const command = e.command === null ? '' : `  $ ${e.command}`;
  return `${e.seq}\t${e.at}\t${e.principal}\t${e.action}\t${e.target ?? '-'}${verdict}${outcome}${command}`;
}

export async function auditListCommand(ctx: CommandContext, opts: AuditListOptions): Promise<number> {
  const limit = opts.limit === undefined ? 100 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new AutomatosError('AUT_USAGE', `--limit must be a positive integer`);
  if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) {
    throw new AutomatosError(
      'AUT_USAGE',
      `--since must be a date or time such as 2026-11-25 or 2026-11-25T10:00:00Z`,
    );
  }
  const query = {
    limit,
    ...(opts.target === undefined ? {} : { target: opts.target }),
    ...(opts.since === undefined ? {} : { since: new Date(opts.since) }),
  };
  const client = remoteClient(ctx);
  const events =
    client === null
      ? await withOrchestrator(ctx, (orch) => orch.audit.list(query))
      : await listAudit(client, query);
  if (opts.json === true) printJson(ctx.io, events);
  else for (const event of events) ctx.io.out(`${formatEvent(event)}\n`);
  return 0;
}

/** Exit 0 when the chain, the head and the checkpoints are intact, 1 on any problem. */
export async function auditVerifyCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const client = remoteClient(ctx);
  const verdict =
    client === null ? await withOrchestrator(ctx, (orch) => orch.audit.verify()) : await verifyAudit(client);
  if (opts.json === true) printJson(ctx.io, verdict);
  else ctx.io.out(formatVerify(verdict));
  return verdict.ok ? 0 : 1;
}
