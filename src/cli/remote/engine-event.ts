import type { EngineEvent, LogStreamName, Phase, StepStatus } from '../../engine/index.js';
import type { FollowEvent } from './follow.js';

/**
 * A streamed event in the engine's shape, so the live views draw a remote deployment exactly as an
 * embedded one. The server sends the engine's own step, status and stream names.
 */
export function engineEvent(workflowId: string, event: FollowEvent): EngineEvent {
  switch (event.type) {
    case 'status':
      return {
        type: 'workflow.status',
        workflowId,
        app: event.data.app,
        status: event.data.status,
        error: event.data.error,
        at: new Date().toISOString(),
      };
    case 'step':
      return {
        type: 'step',
        workflowId,
        target: event.data.target,
        step: event.data.step as Phase,
        status: event.data.status as StepStatus,
        detail: event.data.detail,
        at: event.data.at ?? '',
      };
    case 'log':
      return {
        type: 'log',
        workflowId,
        seq: event.data.seq,
        target: event.data.target ?? '-',
        step: (event.data.step ?? '') as Phase,
        stream: event.data.stream as LogStreamName,
        text: event.data.text,
        at: event.data.at,
      };
  }
}
