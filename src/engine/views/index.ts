/**
 * The JSON shapes a client sees, whichever door it came through (CLI `--json`, REST, MCP): one
 * definition each, a zod schema, and the view function typed by it, so the code, the API's
 * response validation and its OpenAPI document never drift apart.
 */
export { TimestampSchema } from './time.js';
export { TargetViewSchema, targetView } from './target.js';
export type { TargetView } from './target.js';
export { RunResultViewSchema, runResultView } from './run-result.js';
export type { RunResultView } from './run-result.js';
export { LogChunkViewSchema, logChunkView } from './log-chunk.js';
export type { LogChunkView } from './log-chunk.js';
export { PlanViewSchema, planView } from './plan.js';
export type { PlanView } from './plan.js';
export { CommandPolicyViewSchema, ReviewViewSchema, commandPolicyView, reviewView } from './review.js';
export type { CommandPolicyView, ReviewView } from './review.js';
