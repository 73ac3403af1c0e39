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
 * Marks a queued or running workflow cancelled; the process running it (this one or another) stops
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
  // A queued one never starts, so it ends here; a running one ends when its process sees the stop.
  const end = workflow.status === 'queued' ? { finishedAt: new Date().toISOString() } : {};
  const stopped = await orch.store.workflows.update(
    id,
    { status: 'cancelled', ...end },
    { expectStatus: ['queued', 'running'] },
  );
  await orch.audit.append({
    ...actor,
    action: 'workflow.stop',
    workflowId: id,
    details: { app: workflow.app },
  });
  if (workflow.status === 'queued') {
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
