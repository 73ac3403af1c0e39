export {
  AiModuleSchema,
  AiModuleOutputSchema,
  MODULE_TYPES,
  DEPLOYMENT_TARGETS,
  SUPPORTED_DEPLOYMENT_TARGETS,
  RUNTIMES,
  LOGGING_LEVELS,
  HEALTH_CHECK_TYPES,
  DNS_LABEL,
} from './schema.js';
export type { AiModule, AiModuleInput, ModuleType, DeploymentTarget, Runtime } from './schema.js';
export { parseManifest, EXTENSION_PREFIX } from './parse.js';
export { formatIssue, formatResult, ROOT_PATH_LABEL } from './issues.js';
export type { ManifestIssue, ManifestIssueCode, ManifestResult, Severity } from './issues.js';
export { findManifestFile, loadManifest, MANIFEST_FILE_NAMES } from './load.js';
export { manifestJsonSchema, manifestJsonSchemaText, MANIFEST_SCHEMA_ID } from './json-schema.js';
export { renderManifest, templateFor } from './templates/index.js';
export type { RenderOptions } from './templates/index.js';
