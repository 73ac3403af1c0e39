import { randomUUID } from 'node:crypto';
import { STEP_NAMES } from '../../plan/index.js';
import type { Store, WorkflowStatus } from '../../store/index.js';
import type { DeployEvents, Phase, StepStatus } from '../deploy/events.js';

export const newWorkflowId = (): string => `wf_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

const position = (step: string): number => {
  const at = (STEP_NAMES as readonly string[]).indexOf(step);
  return at < 0 ? STEP_NAMES.length : at;
};

/**
 * Persists a deployment as it happens (invariant 3: nothing is lost): every step change and log line
 * goes to the store in order, and on to the caller's events. Writes are chained so they keep their
 * order without making the deploy wait on each one; `flush()` waits for all of them.
 */
export class WorkflowRecorder implements DeployEvents {
  private chain: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: Store,
    readonly workflowId: string,
    private readonly forward: DeployEvents,
  ) {}

  private enqueue(write: () => Promise<unknown>): void {
    this.chain = this.chain.then(write).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  step(target: string, step: Phase, status: StepStatus, detail?: string): void {
    this.forward.step(target, step, status, detail);
    const now = new Date().toISOString();
    this.enqueue(async () => {
      await this.store.steps.upsert({
        workflowId: this.workflowId,
        target,
        step,
        status,
        position: position(step),
        ...(status === 'running' ? { startedAt: now } : { finishedAt: now }),
        ...(status === 'failed' && detail !== undefined ? { error: detail } : {}),
      });
      if (status === 'running') await this.store.workflows.update(this.workflowId, { currentStep: step });
    });
    // The caller already shows the step line; the stored log gets it too, so a replay reads whole.
    if (detail !== undefined && status !== 'running') {
      const text = `${step} ${status}: ${detail}\n`;
      this.enqueue(() => this.store.logs.append(this.workflowId, { target, step, stream: 'system', text }));
    }
  }

  log(target: string, step: Phase, stream: 'stdout' | 'stderr' | 'system', text: string): void {
    this.forward.log(target, step, stream, text);
    this.enqueue(() => this.store.logs.append(this.workflowId, { target, step, stream, text }));
  }

  /** Marks the workflow finished with its final status; resolves once everything is stored. */
  async finish(status: WorkflowStatus, error: string | null): Promise<void> {
    this.enqueue(() =>
      this.store.workflows.update(this.workflowId, { status, error, finishedAt: new Date().toISOString() }),
    );
    await this.flush();
  }

  async flush(): Promise<void> {
    await this.chain;
    if (this.failure !== null) throw this.failure;
  }
}
