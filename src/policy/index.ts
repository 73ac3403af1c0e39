/** Public API of the command policy: everything else in src/policy/ is internal. */
export { createPolicyEngine, configFromFile, DEFAULT_WRITABLE_ROOTS, SYSTEMD_UNIT_GLOB } from './engine.js';
export type { PolicyConfig, PolicyEngine } from './engine.js';
export { parsePolicyFile, readPolicyFile, formatIssue, PolicyFileSchema } from './config.js';
export type { PolicyFile, PolicyIssue, PolicyLoadResult, CustomRuleSpec } from './config.js';
export { RULES, NON_OVERRIDABLE, isOverridable } from './rules/catalog.js';
export type { RuleId, RuleInfo } from './rules/catalog.js';
export { STRICT_ALLOWLIST } from './profiles.js';
export type { AllowEntry } from './profiles.js';
export { parseShell } from './parse.js';
export { PROFILES } from './types.js';
export type { CheckContext, Finding, PolicyDecision, Profile, SimpleCommandView } from './types.js';
