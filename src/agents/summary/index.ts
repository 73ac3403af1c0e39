export { summarizeRepository, MAX_TREE_FILES } from './summarize.js';
export { isSensitivePath } from './sensitive-paths.js';
export { MAX_MANIFEST_CHARS } from './manifest-files.js';
export { redactText, isSecretName } from './redact-text.js';
