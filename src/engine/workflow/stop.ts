import { AutomatosError } from '../../core/index.js';
import type { Actor } from '../../exec/index.js';
import type { Workflow, WorkflowStatus } from '../../store/index.js';
import type { Orchestrator } from '../orchestrator.js';

export const FINISHED_STATUSES: readonly WorkflowStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'rolled_back',
];

/**
 * Where a follower (SSE, `--follow`) stops: the finished statuses, and a plan parked for approval,
 * which writes nothing until someone approves it (then it is followed again from where it was).
 */
export const SETTLED_STATUSES: readonly WorkflowStatus[] = [...FINISHED_STATUSES, 'awaiting_approval'];

/**
 * Marks a queued, parked (awaiting approval) or running workflow cancelled; the process running it (this one or another) stops
 * its command within a second, kills the remote process group, releases the lock, and leaves (or
 * puts back) the previous release serving. One implementation for the CLI, the API and MCP.
 */
export async function stopWorkflow(orch: Orchestrator, id: string, actor: Actor): Promise<Workflow> {
  const workflow = await orch.store.workflows.get(id);
  if (FINISHED_STATUSES.includes(workflow.status)) {
    throw new AutomatosError(
      'AUT_CONFLICT',
      `workflow ${id} already finished (${workflow.status}); nothing to stop`,
      {
        details: { workflowId: id, status: workflow.status },
      },
    );
  }
  // A queued or parked one never starts, so it ends here; a running one ends when its process sees
  // the stop.
  const idle = workflow.status === 'queued' || workflow.status === 'awaiting_approval';
  const end = idle ? { finishedAt: new Date().toISOString() } : {};
  const stopped = await orch.store.workflows.update(
    id,
    { status: 'cancelled', ...end },
    { expectStatus: ['queued', 'running', 'awaiting_approval'] },
  );
  await orch.audit.append({
    ...actor,
    action: 'workflow.stop',
    workflowId: id,
    details: { app: workflow.app },
  });
  if (idle) {
    orch.bus.publish({
      type: 'workflow.status',
      workflowId: id,
      app: workflow.app,
      status: 'cancelled',
      error: null,
      at: new Date().toISOString(),
    });
  }
  return stopped;
}
