export { argv, chain, either, pipe, script, renderCommand } from './command.js';
export type { Command, SeqOperator } from './command.js';
export { shellQuote } from './quote.js';
export { appLayout, releaseIdFor } from './layout.js';
export { buildPlan } from './build-plan.js';
export { appSandbox, describeSandbox, execSandbox } from './sandbox.js';
export { planStepsToJson, commandToJson } from './json.js';
export type { PlanStepJson, PlannedCommandJson } from './json.js';
export { unitFile } from './runtime/systemd.js';
export { UPLOAD_EXCLUDES } from './steps/upload.js';
export { rollbackCommands } from './rollback.js';
export { restartCommands, stopCommands } from './steps/release.js';
export { verifyStep } from './steps/verify.js';
export { listReleasesCommand, parseReleaseList, pruneCommands, releasesToPrune } from './prune.js';
export { isReleaseId, releaseDirOf } from './release-id.js';
export { processStart, processStop, supervisorPaths, writeSupervisor } from './runtime/process.js';
export { SUPERVISOR_SCRIPT } from './runtime/supervisor.js';
export { STEP_NAMES } from './types.js';
export type {
  AppLayout,
  DeploymentPlan,
  HealthProbe,
  PackageManager,
  PlanInput,
  PlannedCommand,
  PlanStep,
  ResolvedRuntime,
  StdinSource,
  StepName,
  TargetFacts,
} from './types.js';
