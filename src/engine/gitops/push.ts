import { isAutomatosError } from '../../core/index.js';
import type { Repository } from '../../store/index.js';
import { repositoryKey } from '../../source/index.js';
import type { WorkflowEngine } from '../engine.js';
import type { Orchestrator } from '../orchestrator.js';
import { repositorySecret } from './repositories.js';

export interface PushDelivery {
  provider: 'github' | 'gitlab';
  /** The forge's delivery id (`X-GitHub-Delivery`; GitLab's `X-Gitlab-Event-UUID`). */
  deliveryId: string;
  urls: readonly string[];
  branch: string | null;
  commit: string | null;
  deleted: boolean;
  /** Checks the delivery's signature or token against one repository's secret. */
  verify: (secret: string) => boolean;
}

export type PushResult =
  /** No registered repository's secret signs this delivery: refuse it (401), audited by the caller. */
  | { status: 'unauthenticated' }
  | { status: 'duplicate'; repositories: string[] }
  | { status: 'ignored'; repositories: string[]; reason: string }
  | {
      status: 'deployed' | 'failed';
      repositories: string[];
      workflows: Array<{ repository: string; workflowId: string }>;
      /** Registrations whose deployment could not even be queued (source unreachable, secret missing…). */
      errors: Array<{ repository: string; code: string; message: string }>;
    };

/**
 * A push from a forge: authenticated against the secrets of the repositories registered for its
 * URL, recorded once per delivery id (a replay does nothing), then every registration whose branch
 * was pushed is deployed at the pushed commit to its targets, through the same engine as the CLI.
 */
export async function handlePush(
  orch: Orchestrator,
  engine: WorkflowEngine,
  delivery: PushDelivery,
): Promise<PushResult> {
  const keys = [...new Set(delivery.urls.map(repositoryKey))];
  const candidates = await orch.store.repositories.findByUrlKey(keys, delivery.provider);
  const signed: Repository[] = [];
  for (const repo of candidates) {
    if (delivery.verify(await repositorySecret(orch, repo))) signed.push(repo);
  }
  if (signed.length === 0) return { status: 'unauthenticated' };
  const names = signed.map((r) => r.name);
  const id = `${delivery.provider}:${delivery.deliveryId}`;
  if (
    !(await orch.store.repositories.recordDelivery({ id, repository: names.join(','), outcome: 'received' }))
  ) {
    return { status: 'duplicate', repositories: names };
  }
  const wanted = signed.filter((r) => delivery.branch !== null && r.branch === delivery.branch);
  const reason =
    delivery.branch === null
      ? 'not a branch push (a tag?)'
      : delivery.deleted
        ? `branch ${delivery.branch} was deleted`
        : `no registration deploys branch ${delivery.branch}`;
  if (wanted.length === 0 || delivery.deleted) {
    await orch.store.repositories.settleDelivery(id, `ignored: ${reason}`, null);
    return { status: 'ignored', repositories: names, reason };
  }
  const workflows: Array<{ repository: string; workflowId: string }> = [];
  const errors: Array<{ repository: string; code: string; message: string }> = [];
  for (const repo of wanted) {
    let submitted: Awaited<ReturnType<WorkflowEngine['submit']>>;
    try {
      submitted = await engine.submit(
        {
          source: repo.url,
          // The pushed commit, not the branch: a later push must not change what this delivery deploys.
          ref: delivery.commit ?? repo.branch,
          targets: repo.targets,
          dataDir: orch.dataDir,
        },
        { principal: `webhook:${repo.name}`, source: 'webhook' },
      );
    } catch (error) {
      errors.push({
        repository: repo.name,
        code: isAutomatosError(error) ? error.code : 'AUT_INTERNAL',
        message: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    // The outcome is on the workflow record; nobody awaits it here.
    submitted.outcome.catch(() => undefined);
    workflows.push({ repository: repo.name, workflowId: submitted.workflowId });
  }
  const status = workflows.length > 0 ? 'deployed' : 'failed';
  const outcome =
    errors.length === 0
      ? status
      : `${status}; ${errors.map((e) => `${e.repository}: ${e.message}`).join('; ')}`;
  await orch.store.repositories.settleDelivery(
    id,
    outcome.slice(0, 2000),
    workflows.map((w) => w.workflowId).join(',') || null,
  );
  return { status, repositories: names, workflows, errors };
}
