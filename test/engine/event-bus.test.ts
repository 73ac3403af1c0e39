import { describe, expect, it } from 'vitest';
import { forWorkflow, InProcessEventBus } from '../../src/engine/index.js';
import type { EngineEvent } from '../../src/engine/index.js';

const at = '2026-11-25T00:00:00.000Z';
const status = (workflowId: string): EngineEvent => ({
  type: 'workflow.status',
  workflowId,
  app: 'app',
  status: 'running',
  error: null,
  at,
});

describe('InProcessEventBus', () => {
  it('delivers every event in publish order to each subscriber, filtered when asked', () => {
    const bus = new InProcessEventBus();
    const all: string[] = [];
    const one: string[] = [];
    bus.subscribe((e) => all.push('workflowId' in e ? e.workflowId : e.type));
    bus.subscribe((e) => one.push('workflowId' in e ? e.workflowId : e.type), forWorkflow('wf_b'));
    for (const id of ['wf_a', 'wf_b', 'wf_a', 'wf_b']) bus.publish(status(id));
    bus.publish({
      type: 'health',
      app: 'app',
      target: 't',
      releaseId: null,
      healthy: true,
      detail: null,
      at,
    });
    expect(all).toEqual(['wf_a', 'wf_b', 'wf_a', 'wf_b', 'health']);
    expect(one).toEqual(['wf_b', 'wf_b']);
  });

  it('stops delivering after unsubscribe and after close', async () => {
    const bus = new InProcessEventBus();
    const seen: string[] = [];
    const off = bus.subscribe(() => seen.push('a'));
    bus.subscribe(() => seen.push('b'));
    bus.publish(status('wf'));
    off();
    bus.publish(status('wf'));
    await bus.close();
    bus.publish(status('wf'));
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(bus.subscriberCount).toBe(0);
  });

  it('keeps delivering to the others when one subscriber throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = new InProcessEventBus((error) => errors.push(error));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('broken view');
    });
    bus.subscribe(() => seen.push('ok'));
    bus.publish(status('wf'));
    expect(seen).toEqual(['ok']);
    expect(String(errors[0])).toContain('broken view');
  });
});
