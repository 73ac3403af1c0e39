import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import type { Workflow, WorkflowApproval } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';

/** An operator's reason is kept on the workflow and in the audit log: short, on one line. */
const MAX_REASON = 500;

function awaiting(workflow: Workflow, verb: string): void {
  if (workflow.status !== 'awaiting_approval') {
    throw new AutomatosError(
      'AUT_CONFLICT',
      `workflow ${workflow.id} is ${workflow.status}; only a workflow awaiting approval can be ${verb}`,
      { details: { workflowId: workflow.id, status: workflow.status } },
    );
  }
}

/** The keys of the recorded review's findings an approval answers (never a denial: see below). */
function findingKeys(workflow: Workflow): string[] {
  return (workflow.review?.findings ?? []).flatMap((f) => {
    const finding = f as { kind?: unknown; key?: unknown };
    return finding.kind !== 'denied' && typeof finding.key === 'string' ? [finding.key] : [];
  });
}

function publish(orch: Orchestrator, workflow: Workflow): void {
  orch.bus.publish({
    type: 'workflow.status',
    workflowId: workflow.id,
    app: workflow.app,
    status: workflow.status,
    error: workflow.error,
    at: new Date().toISOString(),
  });
}

/**
 * Approves a workflow the review parked: it is queued again and a worker runs it, reviewing the
 * plan once more against the target's facts then. The approval covers the findings the operator
 * saw (and those approved before); a plan that has gained others parks again. A policy denial is
 * never parked, so it can never be approved: it fails the workflow.
 */
export async function approveWorkflow(orch: Orchestrator, id: string, actor: Actor): Promise<Workflow> {
  const workflow = await orch.store.workflows.get(id);
  awaiting(workflow, 'approved');
  if (workflow.review?.verdict === 'denied') {
    throw new AutomatosError(
      'AUT_POLICY_DENIED',
      `workflow ${id} was denied by the policy; it cannot be approved`,
      {
        details: { workflowId: id },
      },
    );
  }
  const previous = workflow.approval?.decision === 'approved' ? workflow.approval.covers : [];
  const approval: WorkflowApproval = {
    decision: 'approved',
    by: actor.principal,
    at: new Date().toISOString(),
    reason: null,
    covers: [...new Set([...previous, ...findingKeys(workflow)])],
  };
  const approved = await orch.store.workflows.update(
    id,
    { status: 'queued', approval },
    { expectStatus: 'awaiting_approval' },
  );
  await orch.audit.append({
    ...actor,
    action: 'workflow.approve',
    workflowId: id,
    details: { app: workflow.app, findings: approval.covers.length },
  });
  publish(orch, approved);
  return approved;
}

/** Rejects a parked workflow: it ends `cancelled`, with who rejected it and why; nothing ran. */
export async function rejectWorkflow(
  orch: Orchestrator,
  id: string,
  actor: Actor,
  reason?: string,
): Promise<Workflow> {
  const workflow = await orch.store.workflows.get(id);
  awaiting(workflow, 'rejected');
  const why = reason?.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON) || null;
  const at = new Date().toISOString();
  const rejected = await orch.store.workflows.update(
    id,
    {
      status: 'cancelled',
      finishedAt: at,
      error: `rejected by ${actor.principal}${why === null ? '' : `: ${why}`}`,
      approval: { decision: 'rejected', by: actor.principal, at, reason: why, covers: [] },
    },
    { expectStatus: 'awaiting_approval' },
  );
  await orch.audit.append({
    ...actor,
    action: 'workflow.reject',
    workflowId: id,
    details: { app: workflow.app, ...(why === null ? {} : { reason: why }) },
  });
  publish(orch, rejected);
  return rejected;
}
