import type { StepName } from '../../plan/index.js';

export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** What a deployment reports as it goes: the CLI prints it, the workflow store persists it. */
export interface DeployEvents {
  step(target: string, step: StepName | 'rollback', status: StepStatus, detail?: string): void;
  log(
    target: string,
    step: StepName | 'rollback',
    stream: 'stdout' | 'stderr' | 'system',
    text: string,
  ): void;
}

export const silentEvents: DeployEvents = { step: () => {}, log: () => {} };
