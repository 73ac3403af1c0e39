export { judgePlan } from './judge.js';
export type { CommandVerdict, ReviewTarget } from './judge.js';
export { approvalKeys, concludeReview, HIGH_RISK, unapproved } from './conclude.js';
export type { PlanReview, ReviewFinding, ReviewInput } from './conclude.js';
export { findingLine } from './describe.js';
