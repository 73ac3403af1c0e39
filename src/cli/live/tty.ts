import { Listr } from 'listr2';
import type { DefaultRenderer, ListrTaskWrapper, SimpleRenderer } from 'listr2';
import type { EngineEvent, Phase, StepStatus } from '../../engine/index.js';
import { STEP_NAMES } from '../../plan/index.js';

type Task = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;

interface StepEnd {
  status: StepStatus | 'not_run';
  detail: string | null;
}

const PHASES: readonly Phase[] = [...STEP_NAMES, 'prune', 'rollback'];
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'rolled_back', 'awaiting_approval']);

/** The last non-empty line of a chunk, for the one-line output under a running step. */
const lastLine = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .at(-1) ?? '';

/**
 * The live view on a terminal: one task per target, one spinner per step with the step's latest
 * output line beneath it. Driven entirely by engine events, so it shows exactly what is recorded.
 */
export class TtyView {
  private readonly ends = new Map<string, { settle: (end: StepEnd) => void; promise: Promise<StepEnd> }>();
  private readonly tasks = new Map<string, Task>();
  private readonly output = new Map<string, string>();
  private readonly list: Listr<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;
  private running: Promise<void> | undefined;

  constructor(targets: readonly string[]) {
    this.list = new Listr(
      targets.map((target) => ({
        title: target,
        task: (_ctx: unknown, task: Task) =>
          task.newListr(
            PHASES.map((phase) => ({
              title: phase,
              task: (_c: unknown, sub: Task) => this.await(target, phase, sub),
            })),
            { concurrent: false, exitOnError: false },
          ),
      })),
      {
        concurrent: true,
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { collapseSubtasks: false, collapseSkips: true, showErrorMessage: true },
      },
    );
  }

  start(): void {
    // Failed steps surface as rejected tasks; the summary after the view reports them.
    this.running = this.list.run().then(
      () => undefined,
      () => undefined,
    );
  }

  handle = (event: EngineEvent): void => {
    if (event.type === 'step') {
      if (event.status !== 'running')
        this.end(event.target, event.step).settle({ status: event.status, detail: event.detail });
      return;
    }
    if (event.type === 'log') {
      const key = `${event.target}/${event.step}`;
      const line = lastLine(event.text);
      if (line === '') return;
      this.output.set(key, line);
      const task = this.tasks.get(key);
      if (task !== undefined) task.output = line;
      return;
    }
    if (event.type === 'workflow.status' && FINAL.has(event.status)) this.finish();
  };

  /** Every step that never ran is shown as skipped; resolves when the view has drawn its last frame. */
  async stop(): Promise<void> {
    this.finish();
    await this.running;
  }

  private finish(): void {
    for (const end of this.ends.values()) end.settle({ status: 'not_run', detail: null });
  }

  private end(target: string, phase: Phase) {
    const key = `${target}/${phase}`;
    let end = this.ends.get(key);
    if (end === undefined) {
      let settle!: (value: StepEnd) => void;
      const promise = new Promise<StepEnd>((resolve) => {
        settle = resolve;
      });
      end = { settle, promise };
      this.ends.set(key, end);
    }
    return end;
  }

  private async await(target: string, phase: Phase, task: Task): Promise<void> {
    const key = `${target}/${phase}`;
    this.tasks.set(key, task);
    const seen = this.output.get(key);
    if (seen !== undefined) task.output = seen;
    const { status, detail } = await this.end(target, phase).promise;
    this.tasks.delete(key);
    if (status === 'failed') throw new Error(detail ?? `${phase} failed`);
    if (status === 'skipped') task.skip(`${phase} skipped${detail === null ? '' : `: ${detail}`}`);
    else if (status === 'not_run')
      task.skip(phase === 'rollback' ? 'rollback not needed' : `${phase} not run`);
    else if (detail !== null) task.title = `${phase}: ${detail}`;
  }
}
