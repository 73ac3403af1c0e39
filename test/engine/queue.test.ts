import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../src/engine/index.js';
import type { Job } from '../../src/engine/index.js';

const job = (workflowId: string, ...keys: string[]): Job => ({ workflowId, keys });

/** A handler whose jobs finish only when the test says so, recording start order and overlap. */
function gatedHandler() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  let running = 0;
  let peak = 0;
  const handler = (j: Job) =>
    new Promise<void>((resolve) => {
      started.push(j.workflowId);
      running += 1;
      peak = Math.max(peak, running);
      gates.set(j.workflowId, () => {
        running -= 1;
        resolve();
      });
    });
  const finish = async (id: string) => {
    const gate = gates.get(id);
    if (gate === undefined) throw new Error(`${id} has not started`);
    gate();
    await new Promise((resolve) => setImmediate(resolve));
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { handler, started, finish, settle, peak: () => peak };
}

describe('InProcessQueue', () => {
  it('runs jobs in arrival order, never more than the concurrency limit at once', async () => {
    const queue = new InProcessQueue(2);
    const h = gatedHandler();
    queue.process(h.handler);
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue(job(id, `k-${id}`));
    await h.settle();
    expect(h.started).toEqual(['a', 'b']);
    expect(queue.stats()).toEqual({ queued: 2, running: 2 });
    await h.finish('b');
    expect(h.started).toEqual(['a', 'b', 'c']);
    await h.finish('a');
    await h.finish('c');
    await h.finish('d');
    await queue.idle();
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
    expect(h.peak()).toBe(2);
    expect(queue.stats()).toEqual({ queued: 0, running: 0 });
  });

  it('holds a job whose keys a running job holds, without holding up jobs with other keys', async () => {
    const queue = new InProcessQueue(4);
    const h = gatedHandler();
    queue.process(h.handler);
    await queue.enqueue(job('deploy-1', 'deploy:app:web1'));
    await queue.enqueue(job('deploy-2', 'deploy:app:web1', 'deploy:app:web2'));
    await queue.enqueue(job('other', 'deploy:other:web1'));
    await queue.enqueue(job('deploy-3', 'deploy:app:web2'));
    await h.settle();
    // deploy-3 shares web2 with deploy-2, which waits ahead of it: FIFO among conflicting jobs.
    expect(h.started).toEqual(['deploy-1', 'other']);
    await h.finish('deploy-1');
    expect(h.started).toEqual(['deploy-1', 'other', 'deploy-2']);
    await h.finish('deploy-2');
    expect(h.started).toEqual(['deploy-1', 'other', 'deploy-2', 'deploy-3']);
    await h.finish('other');
    await h.finish('deploy-3');
    await queue.idle();
  });

  it('removes a job that has not started, and reports one that has', async () => {
    const queue = new InProcessQueue(1);
    const h = gatedHandler();
    queue.process(h.handler);
    await queue.enqueue(job('a', 'k'));
    await queue.enqueue(job('b', 'k'));
    await h.settle();
    expect(await queue.remove('b')).toBe(true);
    expect(await queue.remove('a')).toBe(false);
    await h.finish('a');
    await queue.idle();
    expect(h.started).toEqual(['a']);
  });

  it('keeps going after a job fails, and reports the failure', async () => {
    const failures: string[] = [];
    const queue = new InProcessQueue(1, (j, error) => failures.push(`${j.workflowId}: ${String(error)}`));
    const ran: string[] = [];
    queue.process(async (j) => {
      ran.push(j.workflowId);
      if (j.workflowId === 'bad') throw new Error('boom');
    });
    await queue.enqueue(job('bad', 'k'));
    await queue.enqueue(job('good', 'k'));
    await queue.idle();
    expect(ran).toEqual(['bad', 'good']);
    expect(failures).toEqual(['bad: Error: boom']);
  });

  it('refuses work once closed, after waiting for the running job', async () => {
    const queue = new InProcessQueue(1);
    const h = gatedHandler();
    queue.process(h.handler);
    await queue.enqueue(job('a', 'k'));
    await queue.enqueue(job('b', 'k'));
    await h.settle();
    const closed = queue.close();
    await h.finish('a');
    await closed;
    expect(h.started).toEqual(['a']);
    await expect(queue.enqueue(job('c', 'k'))).rejects.toThrow(/shutting down/);
  });

  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => new InProcessQueue(0)).toThrow(/positive integer/);
    expect(() => new InProcessQueue(1.5)).toThrow(/positive integer/);
  });
});
