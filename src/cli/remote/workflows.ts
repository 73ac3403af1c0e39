import type { StepRecord, Workflow, WorkflowStatus } from '../../store/index.js';
import type { RemoteClient } from './client.js';
import type { LogData } from './follow.js';

/**
 * A workflow as the embedded CLI shows it, from the API's snake_case: the fields the API returns
 * (not the plan snapshot, nor the tier-2 record).
 */
export type WorkflowRecord = Pick<
  Workflow,
  | 'id'
  | 'tier'
  | 'source'
  | 'ref'
  | 'commitSha'
  | 'app'
  | 'targets'
  | 'requestedBy'
  | 'status'
  | 'currentStep'
  | 'releaseId'
  | 'error'
  | 'attempt'
  | 'createdAt'
  | 'updatedAt'
  | 'startedAt'
  | 'finishedAt'
>;
type StepLine = Omit<StepRecord, 'position'>;

interface WorkflowJson {
  id: string;
  status: WorkflowStatus;
  app: string;
  tier: number;
  source: string;
  ref: string | null;
  commit_sha: string | null;
  targets: string[];
  requested_by: string;
  current_step: string | null;
  release_id: string | null;
  error: string | null;
  attempt: number;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

interface StepJson {
  target: string;
  step: string;
  status: StepRecord['status'];
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  error: string | null;
}

/** Per target, as `GET /workflows/{id}` derives it from the steps and the releases. */
export interface TargetResult {
  target: string;
  status: string;
  serving_release: string | null;
  endpoint: string | null;
}

/** The review of the plan, as the server recorded it before anything ran. */
export interface ReviewJson {
  verdict: 'allowed' | 'approval_required' | 'denied';
  findings: unknown[];
}

interface WorkflowDetailJson extends WorkflowJson {
  steps: StepJson[];
  results: TargetResult[];
  log_tail: LogData[];
  review: ReviewJson | null;
}

export interface WorkflowDetail {
  workflow: WorkflowRecord;
  steps: StepLine[];
  results: TargetResult[];
  /** The seq of the last log line stored when the server answered (0: none yet). */
  lastSeq: number;
  review: ReviewJson | null;
}

const toWorkflow = (w: WorkflowJson): WorkflowRecord => ({
  id: w.id,
  tier: w.tier,
  source: w.source,
  ref: w.ref,
  commitSha: w.commit_sha,
  app: w.app,
  targets: w.targets,
  requestedBy: w.requested_by,
  status: w.status,
  currentStep: w.current_step,
  releaseId: w.release_id,
  error: w.error,
  attempt: w.attempt,
  createdAt: w.created_at,
  updatedAt: w.updated_at,
  startedAt: w.started_at,
  finishedAt: w.finished_at,
});

const path = (id: string): string => `/workflows/${encodeURIComponent(id)}`;

export async function listWorkflows(
  client: RemoteClient,
  query: { limit: number; status?: string; app?: string },
): Promise<WorkflowRecord[]> {
  const page = (await client.request('GET', '/workflows', { query })) as { items: WorkflowJson[] };
  return page.items.map(toWorkflow);
}

export async function getWorkflow(client: RemoteClient, id: string): Promise<WorkflowDetail> {
  const w = (await client.request('GET', path(id))) as WorkflowDetailJson;
  return {
    workflow: toWorkflow(w),
    steps: w.steps.map((s) => ({
      workflowId: w.id,
      target: s.target,
      step: s.step,
      status: s.status,
      startedAt: s.started_at,
      finishedAt: s.finished_at,
      exitCode: s.exit_code,
      error: s.error,
    })),
    results: w.results,
    lastSeq: w.log_tail.at(-1)?.seq ?? 0,
    review: w.review,
  };
}

export async function stopWorkflow(client: RemoteClient, id: string): Promise<void> {
  await client.request('DELETE', path(id));
}

/** `POST /workflows/{id}/approve`: queued again on the server, which reviews it once more and runs it. */
export async function approveRemote(client: RemoteClient, id: string): Promise<WorkflowRecord> {
  return toWorkflow((await client.request('POST', `${path(id)}/approve`, { body: {} })) as WorkflowJson);
}

/** `POST /workflows/{id}/reject`: it ends cancelled on the server; nothing ran. */
export async function rejectRemote(
  client: RemoteClient,
  id: string,
  reason?: string,
): Promise<WorkflowRecord> {
  const body = reason === undefined ? {} : { reason };
  return toWorkflow((await client.request('POST', `${path(id)}/reject`, { body })) as WorkflowJson);
}
