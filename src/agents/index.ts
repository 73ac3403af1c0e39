export * from './agent.js';
export * from './diagnosis.js';
export * from './planner-output.js';
export * from './repo-summary.js';
export * from './requirement.js';
