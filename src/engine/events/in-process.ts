import type { EngineEvent, EventBus, EventHandler } from './types.js';

interface Subscription {
  handler: EventHandler;
  filter: ((event: EngineEvent) => boolean) | undefined;
}

/**
 * Synchronous fan-out inside one process. A subscriber that throws is reported on `onError` and
 * the others still get the event: one broken listener must not stop a deployment.
 */
export class InProcessEventBus implements EventBus {
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  publish(event: EngineEvent): void {
    for (const s of [...this.subscriptions]) {
      if (s.filter !== undefined && !s.filter(event)) continue;
      try {
        s.handler(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  subscribe(handler: EventHandler, filter?: (event: EngineEvent) => boolean): () => void {
    const subscription: Subscription = { handler, filter };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  close(): Promise<void> {
    this.subscriptions.clear();
    return Promise.resolve();
  }
}

/** The events of one workflow, for a subscriber that follows it. */
export const forWorkflow =
  (workflowId: string) =>
  (event: EngineEvent): boolean =>
    'workflowId' in event && event.workflowId === workflowId;
