import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliActor, Orchestrator, WorkflowEngine } from '../../src/engine/index.js';
import type { Job, JobHandler, JobQueue } from '../../src/engine/index.js';

/** A queue that hands jobs over only when the test says so. */
class HeldQueue implements JobQueue {
  readonly jobs: Job[] = [];
  private handler: JobHandler | undefined;
  enqueue(job: Job): Promise<void> {
    this.jobs.push(job);
    return Promise.resolve();
  }
  process(handler: JobHandler): void {
    this.handler = handler;
  }
  async deliver(): Promise<void> {
    for (const job of this.jobs.splice(0)) await this.handler?.(job);
  }
  remove(): Promise<boolean> {
    return Promise.resolve(false);
  }
  stats() {
    return { queued: this.jobs.length, running: 0 };
  }
  idle(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let dir: string;
let orch: Orchestrator;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'automatos-claims-'));
  orch = await Orchestrator.open({ dataDir: dir, env: { ...process.env, AUTOMATOS_MASTER_KEY: undefined } });
});

afterEach(async () => {
  await orch.close();
  await rm(dir, { recursive: true, force: true });
});

describe('workflow claims', () => {
  it('claims a submitted workflow, and another worker cannot adopt it', async () => {
    const queue = new HeldQueue();
    const engine = new WorkflowEngine(orch, { queue });
    const other = new WorkflowEngine(orch, { queue: new HeldQueue() });
    const submitted = await engine.submit(
      { source: 'examples/node-http', targets: ['local'], dataDir: dir },
      cliActor(),
    );
    expect(await other.adoptQueued()).toEqual([]);
    expect((await orch.store.locks.get(`workflow:${submitted.workflowId}`))?.expiresAt).toBeGreaterThan(
      Date.now(),
    );
    await orch.store.workflows.update(submitted.workflowId, { status: 'cancelled' });
    await queue.deliver();
    expect((await submitted.outcome).status).toBe('cancelled');
    expect(await orch.store.locks.get(`workflow:${submitted.workflowId}`)).toBeUndefined();
  });

  it('does not run a workflow whose claim another worker took while it waited', async () => {
    const queue = new HeldQueue();
    const engine = new WorkflowEngine(orch, { queue });
    const submitted = await engine.submit(
      { source: 'examples/node-http', targets: ['local'], dataDir: dir },
      cliActor(),
    );
    const name = `workflow:${submitted.workflowId}`;
    // The claim lapsed (say the database was unreachable for a TTL) and another worker took it.
    const ours = await orch.store.locks.get(name);
    await orch.store.locks.release(name, ours?.owner ?? '');
    expect(await orch.store.locks.acquire(name, 'other-worker', 60_000)).toBe(true);
    await queue.deliver();
    await expect(submitted.outcome).rejects.toMatchObject({ code: 'AUT_CONFLICT' });
    // Nothing ran here, and the new holder keeps its claim.
    expect((await orch.store.workflows.get(submitted.workflowId)).status).toBe('queued');
    expect(await orch.store.steps.list(submitted.workflowId)).toEqual([]);
    expect((await orch.store.locks.get(name))?.owner).toBe('other-worker');
  });
});
