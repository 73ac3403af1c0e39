import type { StepName } from '../../plan/index.js';

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';
/** `review` carries only log lines: the plan's review happens before any step runs. */
export type Phase = StepName | 'rollback' | 'prune' | 'review';
export type LogStreamName = 'stdout' | 'stderr' | 'system';

/** What a deployment reports as it goes: the CLI prints it, the workflow store persists it. */
export interface DeployEvents {
  step(target: string, step: Phase, status: StepStatus, detail?: string): void;
  log(target: string, step: Phase, stream: LogStreamName, text: string): void;
}
