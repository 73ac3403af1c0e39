export { resolveSource } from './resolve.js';
export type { ResolvedSource, ResolveOptions } from './resolve.js';
export { classifyGitUrl, validateRef, redactUrl, isCommitSha } from './url.js';
export type { GitUrlKind } from './url.js';
export { repositoryKey } from './repository-key.js';
export { gitEnv } from './git.js';
