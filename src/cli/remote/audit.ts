import type { AuditEvent, VerifyResult } from '../../audit/index.js';
import type { RemoteClient } from './client.js';

export async function listAudit(
  client: RemoteClient,
  query: { limit: number; target?: string; since?: Date },
): Promise<AuditEvent[]> {
  const page = (await client.request('GET', '/api/v1/audit', {
    query: { limit: query.limit, target: query.target, since: query.since?.toISOString() },
  })) as { items: AuditEvent[] };
  return page.items;
}

export async function verifyAudit(client: RemoteClient): Promise<VerifyResult> {
  return (await client.request('GET', '/api/v1/audit/verify')) as VerifyResult;
}
