export { planDeployment } from './plan-deployment.js';
export type { PlanRequest, PlannedDeployment } from './plan-deployment.js';
export { localTargetFacts, LOCAL_TARGET } from './local-target.js';
export { Orchestrator, cliActor } from './orchestrator.js';
export type { OrchestratorOptions, ResolveOptions } from './orchestrator.js';
export { addTarget, removeTarget, AddTargetSchema } from './targets.js';
export type { AddTargetInput } from './targets.js';
export { probeTarget } from './probe.js';
export type { TargetReport } from './probe.js';
