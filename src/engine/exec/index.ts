export { runExec } from './run.js';
export type { ExecOutcome, ExecRequest } from './run.js';
export { inputProblem, visibleControls } from './input.js';
export type { ExecInput, InputProblem } from './input.js';
export { appsOnTarget, targetSecretValues } from './target-secrets.js';
