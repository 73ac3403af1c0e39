import type { WorkflowStatus } from '../../store/index.js';
import type { LogStreamName, Phase, StepStatus } from '../deploy/events.js';

/** A workflow changed status (queued → running → one of the final ones). */
export interface WorkflowStatusEvent {
  type: 'workflow.status';
  workflowId: string;
  app: string;
  status: WorkflowStatus;
  error: string | null;
  at: string;
}

/** A step of a workflow changed status on one target. */
export interface StepEvent {
  type: 'step';
  workflowId: string;
  target: string;
  step: Phase;
  status: StepStatus;
  detail: string | null;
  at: string;
}

/** A chunk of a step's output, already redacted and stored under `seq`. */
export interface LogEvent {
  type: 'log';
  workflowId: string;
  seq: number;
  target: string;
  step: Phase;
  stream: LogStreamName;
  text: string;
  at: string;
}

/** One health check of a live release (verify or monitoring). */
export interface HealthEvent {
  type: 'health';
  app: string;
  target: string;
  releaseId: string | null;
  healthy: boolean;
  detail: string | null;
  at: string;
}

/** A live release changed health state: healthy ↔ unhealthy. */
export interface AlertEvent {
  type: 'alert';
  id: string;
  app: string;
  target: string;
  releaseId: string | null;
  state: 'healthy' | 'unhealthy';
  message: string;
  at: string;
}

export type EngineEvent = WorkflowStatusEvent | StepEvent | LogEvent | HealthEvent | AlertEvent;

export type EventHandler = (event: EngineEvent) => void;

/**
 * Where every status change and log line is published once it is stored. In-process now; a Redis
 * pub/sub implementation fits behind the same interface, so subscribers (the CLI's live view, SSE,
 * WebSocket) never know which one runs.
 */
export interface EventBus {
  publish(event: EngineEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(handler: EventHandler, filter?: (event: EngineEvent) => boolean): () => void;
  close(): Promise<void>;
}
