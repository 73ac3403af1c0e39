import { isAutomatosError } from '../../core/index.js';
import type { Repository } from '../../store/index.js';
import { repositoryKey } from '../../source/index.js';
import type { WorkflowEngine } from '../engine.js';
import type { Orchestrator } from '../orchestrator.js';
import { judgePush } from './freshness.js';
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
  | { status: 'ignored'; repositories: string[]; reason: string; skipped?: Skipped[] }
  | {
      status: 'deployed' | 'failed';
      repositories: string[];
      workflows: Array<{ repository: string; workflowId: string }>;
      /** Registrations whose deployment could not even be queued (source unreachable, secret missing…). */
      errors: Array<{ repository: string; code: string; message: string }>;
      /** Registrations for which the push was not new (already deployed, a replay, a downgrade). */
      skipped?: Skipped[];
    };

/** A registration that did nothing with a push, and why. */
export interface Skipped {
  repository: string;
  reason: string;
}

/**
 * A push from a forge: authenticated against the secrets of the repositories registered for its
 * URL, recorded once per delivery id (a replay does nothing), then every registration whose branch
 * was pushed deploys the pushed commit to its targets, through the same engine as the CLI — once
 * per (registration, branch, commit), and never a commit older than what its targets run (a
 * captured delivery replayed under a new delivery id redeploys nothing and downgrades nothing).
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
        : delivery.commit === null
          ? 'the push names no commit'
          : `no registration deploys branch ${delivery.branch}`;
  if (wanted.length === 0 || delivery.deleted || delivery.branch === null || delivery.commit === null) {
    await orch.store.repositories.settleDelivery(id, `ignored: ${reason}`, null);
    return { status: 'ignored', repositories: names, reason };
  }
  const push = { id, branch: delivery.branch, commit: delivery.commit };
  const workflows: Array<{ repository: string; workflowId: string }> = [];
  const errors: Array<{ repository: string; code: string; message: string }> = [];
  const skipped: Array<{ repository: string; reason: string }> = [];
  for (const repo of wanted) {
    const outcome = await serially(repo.name, () => deployPush(orch, engine, repo, push));
    if ('workflowId' in outcome) workflows.push({ repository: repo.name, workflowId: outcome.workflowId });
    else if ('skipped' in outcome) skipped.push({ repository: repo.name, reason: outcome.skipped });
    else errors.push({ repository: repo.name, ...outcome.error });
  }
  const status = workflows.length > 0 ? 'deployed' : errors.length > 0 ? 'failed' : 'ignored';
  const notes = [
    ...errors.map((e) => `${e.repository}: ${e.message}`),
    ...skipped.map((s) => `${s.repository}: ${s.reason}`),
  ];
  const recorded = notes.length === 0 ? status : `${status}: ${notes.join('; ')}`;
  await orch.store.repositories.settleDelivery(
    id,
    recorded.slice(0, 2000),
    workflows.map((w) => w.workflowId).join(',') || null,
  );
  if (status === 'ignored') {
    return { status, repositories: names, reason: skipped.map((s) => s.reason).join('; '), skipped };
  }
  return { status, repositories: names, workflows, errors, ...(skipped.length > 0 ? { skipped } : {}) };
}

type Outcome = { workflowId: string } | { skipped: string } | { error: { code: string; message: string } };

/**
 * One registration's part of a push, run one at a time per registration in this process: judged
 * (already deployed, replayed, not on the branch, older than what runs), claimed, then queued.
 * A skip is audited as `webhook.ignored`: a replay or a downgrade attempt is worth seeing.
 */
async function deployPush(
  orch: Orchestrator,
  engine: WorkflowEngine,
  repo: Repository,
  push: { id: string; branch: string; commit: string },
): Promise<Outcome> {
  const actor = { principal: `webhook:${repo.name}`, source: 'webhook' as const };
  const skip = async (reason: string): Promise<Outcome> => {
    await orch.audit.append({
      ...actor,
      action: 'webhook.ignored',
      details: { repository: repo.name, delivery: push.id, ref: push.branch, commit: push.commit, reason },
    });
    return { skipped: reason };
  };
  let verdict: Awaited<ReturnType<typeof judgePush>>;
  try {
    verdict = await judgePush(orch, repo, push.branch, push.commit);
  } catch (error) {
    return { error: errorOf(error) };
  }
  if (!verdict.fresh) return skip(verdict.reason);
  const claim = { repository: repo.name, ref: push.branch, commit: push.commit, delivery: push.id };
  if (!(await orch.store.repositories.claimPush(claim, verdict.claim))) {
    return skip(`commit ${push.commit.slice(0, 12)} of ${push.branch} is being deployed by another delivery`);
  }
  try {
    const submitted = await engine.submit(
      {
        source: repo.url,
        // The pushed commit, not the branch: a later push must not change what this delivery deploys.
        ref: push.commit,
        targets: repo.targets,
        dataDir: orch.dataDir,
      },
      actor,
    );
    // The outcome is on the workflow record; nobody awaits it here.
    submitted.outcome.catch(() => undefined);
    await orch.store.repositories.settlePush(
      repo.name,
      push.branch,
      push.commit,
      `queued by ${push.id}`,
      submitted.workflowId,
    );
    return { workflowId: submitted.workflowId };
  } catch (error) {
    const failure = errorOf(error);
    await orch.store.repositories.settlePush(
      repo.name,
      push.branch,
      push.commit,
      `failed: ${failure.message}`.slice(0, 2000),
      null,
    );
    return { error: failure };
  }
}

const errorOf = (error: unknown): { code: string; message: string } => ({
  code: isAutomatosError(error) ? error.code : 'AUT_INTERNAL',
  message: error instanceof Error ? error.message : String(error),
});

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every task queued before it under the same key, in this process: two
 * deliveries for one registration are judged and queued one after the other, so the second sees
 * the first's workflow (across processes, the push claim in the store still admits one).
 */
function serially<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
