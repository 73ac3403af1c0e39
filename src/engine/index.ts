export { planDeployment } from './plan-deployment.js';
export type { PlanRequest, PlannedDeployment } from './plan-deployment.js';
export { localTargetFacts, LOCAL_TARGET } from './local-target.js';
