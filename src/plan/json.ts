import { renderCommand } from './command.js';
import { describeSandbox } from './sandbox.js';
import type {
  DeploymentPlan,
  HealthProbe,
  PlannedCommand,
  StdinSource,
  StepName,
  TargetFacts,
} from './types.js';

export interface PlannedCommandJson {
  command: string;
  purpose: string;
  cwd?: string;
  stdin?: StdinSource;
  timeout_sec?: number;
  sandbox?: string;
}

export interface PlanStepJson {
  name: StepName;
  description: string;
  commands: PlannedCommandJson[];
  probe?: HealthProbe;
  skipped?: string;
}

export function commandToJson(planned: PlannedCommand, target: TargetFacts): PlannedCommandJson {
  return {
    command: renderCommand(planned.command),
    purpose: planned.purpose,
    ...(planned.cwd === undefined ? {} : { cwd: planned.cwd }),
    ...(planned.stdin === undefined ? {} : { stdin: planned.stdin }),
    ...(planned.timeoutSec === undefined ? {} : { timeout_sec: planned.timeoutSec }),
    ...(planned.sandbox === undefined ? {} : { sandbox: describeSandbox(planned.sandbox, target) }),
  };
}

/** The printable form: every command rendered to the exact text the target's shell receives. */
export function planStepsToJson(plan: DeploymentPlan): PlanStepJson[] {
  return plan.steps.map((step) => ({
    name: step.name,
    description: step.description,
    commands: step.commands.map((planned) => commandToJson(planned, plan.target)),
    ...(step.probe === undefined ? {} : { probe: step.probe }),
    ...(step.skipped === undefined ? {} : { skipped: step.skipped }),
  }));
}
