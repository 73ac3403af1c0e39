export {
  AiModuleSchema,
  MODULE_TYPES,
  DEPLOYMENT_TARGETS,
  SUPPORTED_DEPLOYMENT_TARGETS,
  RUNTIMES,
  LOGGING_LEVELS,
  HEALTH_CHECK_TYPES,
} from './schema.js';
export type { AiModule, AiModuleInput, ModuleType, DeploymentTarget, Runtime } from './schema.js';
