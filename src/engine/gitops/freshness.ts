import { repositoryKey } from '../../source/index.js';
import type { Repository, WorkflowStatus } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';
import { historyDir, RepositoryHistory } from './history.js';

type Repos = Orchestrator['store']['repositories'];
type PushClaim = NonNullable<Awaited<ReturnType<Repos['findPush']>>>;
type SourceWorkflow = Awaited<ReturnType<Repos['workflowsFrom']>>[number];

/** A push this registration should deploy, or why not. */
export type Freshness = { fresh: true; claim: PushClaim | undefined } | { fresh: false; reason: string };

/** A workflow in one of these has the commit deployed, or on its way: the same push does nothing. */
const HANDLED: ReadonlySet<WorkflowStatus> = new Set([
  'queued',
  'running',
  'awaiting_approval',
  'succeeded',
  'rolled_back',
]);
/** What a target runs, or is about to: a push older than one of these is a downgrade. */
const CURRENT: ReadonlySet<WorkflowStatus> = new Set(['queued', 'running', 'awaiting_approval', 'succeeded']);
/** A claim whose deployment ended in one of these may be taken again (a retry of a failed push). */
const RETRYABLE: ReadonlySet<WorkflowStatus> = new Set(['failed', 'cancelled']);
/** A claim that never got a workflow (a crash between claim and queue) lapses after this. */
const STALE_CLAIM_MS = 10 * 60_000;

const short = (sha: string): string => sha.slice(0, 12);

/** This registration's deployments: workflows from its repository (any URL form) on its targets. */
async function deploymentsOf(orch: Orchestrator, repo: Repository): Promise<SourceWorkflow[]> {
  const name = repo.urlKey.split('/').pop() ?? repo.urlKey;
  const sameRepo = (source: string): boolean => {
    try {
      return repositoryKey(source) === repo.urlKey;
    } catch {
      return false;
    }
  };
  return (await orch.store.repositories.workflowsFrom(name)).filter(
    (w) => sameRepo(w.source) && w.targets.some((t) => repo.targets.includes(t)),
  );
}

async function claimState(
  orch: Orchestrator,
  claim: PushClaim,
): Promise<{ retryable: boolean; workflow: string | null }> {
  if (claim.workflowId === null) {
    const lapsed = Date.parse(claim.claimedAt) + STALE_CLAIM_MS < Date.now();
    return { retryable: claim.outcome.startsWith('failed') || lapsed, workflow: null };
  }
  const workflow = await orch.store.workflows.find(claim.workflowId);
  return { retryable: workflow === undefined || RETRYABLE.has(workflow.status), workflow: claim.workflowId };
}

/**
 * Whether a signed push of `commit` to `branch` should deploy for this registration. It should not
 * when the commit is already deployed, queued or running on every target of the registration,
 * when another delivery of the same push claimed it (a replay under a new delivery id), when the
 * commit is no longer on the branch, or when it is an ancestor of what a target runs or is about
 * to run: a webhook never downgrades. A deployment that failed may be retried by a new delivery.
 */
export async function judgePush(
  orch: Orchestrator,
  repo: Repository,
  branch: string,
  commit: string,
): Promise<Freshness> {
  const deployments = await deploymentsOf(orch, repo);
  const same = deployments.filter((w) => w.commitSha === commit && HANDLED.has(w.status));
  const covered = new Set(same.flatMap((w) => w.targets));
  if (same.length > 0 && repo.targets.every((t) => covered.has(t))) {
    const w = same[0];
    const state = w?.status === 'succeeded' ? 'already deployed' : `already ${w?.status ?? 'queued'}`;
    return {
      fresh: false,
      reason: `commit ${short(commit)} is ${state} to ${repo.targets.join(', ')} (workflow ${w?.id ?? '?'})`,
    };
  }
  const claim = await orch.store.repositories.findPush(repo.name, branch, commit);
  if (claim !== undefined) {
    const state = await claimState(orch, claim);
    if (!state.retryable) {
      return {
        fresh: false,
        reason: `commit ${short(commit)} of ${branch} was already delivered (${claim.outcome}${state.workflow === null ? '' : `, workflow ${state.workflow}`})`,
      };
    }
  }
  // Per target, the newest deployment that runs or will run: the commit to compare with.
  const current = new Map<string, string>();
  for (const target of repo.targets) {
    const w = deployments.find((d) => d.targets.includes(target) && CURRENT.has(d.status) && d.commitSha);
    if (w?.commitSha != null && w.commitSha !== commit) current.set(target, w.commitSha);
  }
  const history = new RepositoryHistory(historyDir(orch.dataDir, repo.name), repo.url);
  await history.update(branch, [commit, ...new Set(current.values())]);
  if (!(await history.has(commit))) {
    return { fresh: false, reason: `commit ${short(commit)} is not in the repository` };
  }
  if (!(await history.onBranch(commit, branch))) {
    return {
      fresh: false,
      reason: `commit ${short(commit)} is not on branch ${branch} any more (a replay, or the branch was force-pushed)`,
    };
  }
  for (const [target, deployed] of current) {
    if (await history.isAncestor(commit, deployed)) {
      return {
        fresh: false,
        reason: `commit ${short(commit)} is older than ${short(deployed)}, deployed or queued on ${target}: a webhook never downgrades (use \`automatos rollback\` or \`automatos deploy --ref\`)`,
      };
    }
  }
  return { fresh: true, claim };
}
