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

/** One deployment attempt on the terminal: one task per target, one spinner per step. */
class TtyRound {
  private readonly ends = new Map<string, { settle: (end: StepEnd) => void; promise: Promise<StepEnd> }>();
  private readonly tasks = new Map<string, Task>();
  private readonly output = new Map<string, string>();
  private readonly endedSteps = new Set<string>();
  private readonly list: Listr<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;
  private running: Promise<void> | undefined;

  constructor(targets: readonly string[], attempt: number) {
    this.list = new Listr(
      targets.map((target) => ({
        title: attempt === 1 ? target : `${target} (attempt ${attempt}, after a fix)`,
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

  /** Has this step already ended in this round? Another event for it belongs to the next attempt. */
  ended(target: string, phase: Phase): boolean {
    return this.endedSteps.has(`${target}/${phase}`);
  }

  handle(event: EngineEvent): void {
    if (event.type === 'step') {
      if (event.status !== 'running') {
        this.endedSteps.add(`${event.target}/${event.step}`);
        this.end(event.target, event.step).settle({ status: event.status, detail: event.detail });
      }
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
  }

  /** Every step that never ran is shown as skipped; resolves when the view has drawn its last frame. */
  async stop(): Promise<void> {
    this.finish();
    await this.running;
  }

  finish(): void {
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

/**
 * The live view on a terminal: one task per target, one spinner per step with the step's latest
 * output line beneath it. Driven entirely by engine events, so it shows exactly what is recorded.
 * A tier-2 fix deploys again from upload: the first event of a step that already ended in the
 * current round closes that round's list and opens a new one, so the re-run steps are shown too.
 */
export class TtyView {
  private round: TtyRound;
  private attempt = 1;
  /** The rounds' lists run one after another: a new one starts once the last drew its final frame. */
  private chain: Promise<void> = Promise.resolve();
  private started = false;

  constructor(private readonly targets: readonly string[]) {
    this.round = new TtyRound(targets, 1);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.round.start();
  }

  handle = (event: EngineEvent): void => {
    if (event.type === 'step' && this.round.ended(event.target, event.step)) this.next();
    this.round.handle(event);
  };

  async stop(): Promise<void> {
    this.round.finish();
    await this.chain;
    await this.round.stop();
  }

  private next(): void {
    const done = this.round;
    done.finish();
    this.attempt += 1;
    const round = new TtyRound(this.targets, this.attempt);
    this.round = round;
    this.chain = this.chain
      .then(() => done.stop())
      .then(() => {
        if (this.started) round.start();
      });
  }
}
