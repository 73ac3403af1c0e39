export { createRulesPlanner } from './planner.js';
export { createRulesDiagnoser } from './diagnoser.js';
