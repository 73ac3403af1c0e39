import { randomUUID } from 'node:crypto';
import { STEP_NAMES } from '../../plan/index.js';
import type { Store, WorkflowStatus } from '../../store/index.js';
import type { DeployEvents, LogStreamName, Phase, StepStatus } from '../deploy/events.js';
import type { EventBus } from '../events/index.js';

export const newWorkflowId = (): string => `wf_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

const position = (step: string): number => {
  const at = (STEP_NAMES as readonly string[]).indexOf(step);
  return at < 0 ? STEP_NAMES.length : at;
};

/**
 * Persists a deployment as it happens (invariant 3: nothing is lost): every step change and log line
 * goes to the store in order, then on to the event bus (a log event carries its stored seq, so a
 * subscriber that reconnects can resume from the store). Writes are chained so they keep their
 * order without making the deploy wait on each one; `flush()` waits for all of them.
 */
export class WorkflowRecorder implements DeployEvents {
  private chain: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: Store,
    readonly workflowId: string,
    private readonly app: string,
    private readonly bus: EventBus,
  ) {}

  private enqueue(write: () => Promise<unknown>): void {
    this.chain = this.chain.then(write).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  step(target: string, step: Phase, status: StepStatus, detail?: string): void {
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
      this.bus.publish({
        type: 'step',
        workflowId: this.workflowId,
        target,
        step,
        status,
        detail: detail ?? null,
        at: now,
      });
    });
    // The caller already shows the step line; the stored log gets it too, so a replay reads whole.
    if (detail !== undefined && status !== 'running') {
      this.append(target, step, 'system', `${step} ${status}: ${detail}\n`, false);
    }
  }

  log(target: string, step: Phase, stream: LogStreamName, text: string): void {
    this.append(target, step, stream, text, true);
  }

  /** `publish` false: the step event already told subscribers; only a replay needs the line. */
  private append(target: string, step: Phase, stream: LogStreamName, text: string, publish: boolean): void {
    const at = new Date().toISOString();
    this.enqueue(async () => {
      const seq = await this.store.logs.append(this.workflowId, { target, step, stream, text, at });
      if (publish) {
        this.bus.publish({ type: 'log', workflowId: this.workflowId, seq, target, step, stream, text, at });
      }
    });
  }

  /** A status change before the end (queued → running). */
  status(status: WorkflowStatus, patch: { startedAt?: string } = {}): void {
    this.enqueue(async () => {
      await this.store.workflows.update(this.workflowId, { status, ...patch });
      this.publishStatus(status, null);
    });
  }

  /** Marks the workflow finished with its final status; resolves once everything is stored. */
  async finish(status: WorkflowStatus, error: string | null): Promise<void> {
    this.enqueue(async () => {
      await this.store.workflows.update(this.workflowId, {
        status,
        error,
        finishedAt: new Date().toISOString(),
      });
      this.publishStatus(status, error);
    });
    await this.flush();
  }

  /** Parks the workflow for an operator's approval (not finished); resolves once stored. */
  async park(): Promise<void> {
    this.status('awaiting_approval');
    await this.flush();
  }

  private publishStatus(status: WorkflowStatus, error: string | null): void {
    this.bus.publish({
      type: 'workflow.status',
      workflowId: this.workflowId,
      app: this.app,
      status,
      error,
      at: new Date().toISOString(),
    });
  }

  async flush(): Promise<void> {
    await this.chain;
    if (this.failure !== null) throw this.failure;
  }
}
