export { InProcessEventBus, forWorkflow } from './in-process.js';
export type {
  AlertEvent,
  EngineEvent,
  EventBus,
  EventHandler,
  HealthEvent,
  LogEvent,
  StepEvent,
  WorkflowStatusEvent,
} from './types.js';
