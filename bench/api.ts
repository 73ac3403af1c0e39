/**
 * Throughput of the API against a plain Fastify route in the same process, with autocannon:
 *   GET /workflows/{id} with an API key (hash check, RBAC, rate-limit bookkeeping, its store reads)
 *     vs GET /plain/{id} on a bare Fastify instance returning a stored-looking object, and vs
 *     GET /reads/{id}, a bare route doing the same store reads (what data access alone costs);
 *   POST /workflow (queued only: the engine's queue never runs the jobs, so this times the request:
 *     validation, auth, loading the local example, one workflow row) vs POST /plain with the same body.
 * Goal: authenticated GET /workflows/{id} >= 50% of the plain route's req/s.
 * CPU µs/req is this process's CPU time (server and autocannon) per request: when other work shares
 * the machine, req/s swings from run to run and this column much less.
 * Run: npm run bench:api   (BENCH_SECONDS=10, BENCH_CONNECTIONS=10)
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Orchestrator, WorkflowEngine } from '../src/engine/index.js';
import type { Job, JobHandler, JobQueue } from '../src/engine/index.js';
import { buildServer } from '../src/server/index.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const PLENTY = { points: 1_000_000_000, duration: 60 };

/** Takes jobs and keeps them: POST /workflow is timed up to "queued", never a real deploy. */
class ParkingQueue implements JobQueue {
  private parked = 0;
  enqueue(_job: Job): Promise<void> {
    this.parked += 1;
    return Promise.resolve();
  }
  process(_handler: JobHandler): void {}
  remove(): Promise<boolean> {
    return Promise.resolve(false);
  }
  stats() {
    return { queued: this.parked, running: 0 };
  }
  idle(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Result {
  rps: number;
  p99: number;
  non2xx: number;
  /** CPU time of this process (server and autocannon) per request: steadier than req/s on a busy machine. */
  cpuUs: number;
}

async function load(
  url: string,
  options: { method?: 'GET' | 'POST'; key?: string; body?: string },
): Promise<Result> {
  const cpu = process.cpuUsage();
  const r = await autocannon({
    url,
    method: options.method ?? 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: {
      ...(options.key === undefined ? {} : { authorization: `Bearer ${options.key}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const used = process.cpuUsage(cpu);
  const cpuUs = (used.user + used.system) / Math.max(1, r.requests.total);
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors, cpuUs };
}

const base = await mkdtemp(join(tmpdir(), 'automatos-bench-api-'));
const env = { ...process.env, AUTOMATOS_MASTER_KEY: '', AUTOMATOS_ADMIN_KEY: '' };
const orch = await Orchestrator.open({ dataDir: join(base, 'data'), env });
const engine = new WorkflowEngine(orch, { queue: new ParkingQueue() });
const api = await buildServer({
  orch,
  engine,
  env,
  allowLocalSources: true,
  rateLimits: { perIp: PLENTY, perKey: PLENTY, execute: PLENTY, authFailures: PLENTY },
});
const plain = Fastify({ logger: false });
const stored = await orch.store.workflows.create({
  id: 'wf_bench0000000000000000',
  tier: 1,
  source: '/src/shop',
  app: 'shop',
  targets: ['local'],
  requestedBy: 'bench',
  status: 'succeeded',
});
plain.get('/plain/:id', async () => ({ ...stored, steps: [], results: [], log_tail: [] }));
// The same store reads as GET /workflows/{id}, without the API around them: what data access alone costs.
plain.get('/reads/:id', async (request) => {
  const { id } = request.params as { id: string };
  const w = await orch.store.workflows.get(id);
  const steps = await orch.store.steps.list(id);
  const tail = await orch.store.logs.tail(id, 50);
  const releases = await orch.store.apps.releases.list(w.app);
  const fixes = await orch.store.fixes.list(id);
  return { ...w, steps, releases, log_tail: tail, fixes };
});
plain.post('/plain', async (request, reply) => reply.status(202).send({ received: request.body }));
try {
  const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  const plainUrl = await plain.listen({ host: '127.0.0.1', port: 0 });
  const { key } = await orch.apiKeys.create({ role: 'operator', targets: null, grants: [], name: 'bench' });
  const k = key.reveal();
  const body = JSON.stringify({ repository_url: resolve('examples/node-http'), target: 'local' });

  const plainGet = await load(`${plainUrl}/plain/${stored.id}`, {});
  const readsGet = await load(`${plainUrl}/reads/${stored.id}`, {});
  const apiGet = await load(`${apiUrl}/workflows/${stored.id}`, { key: k });
  const plainPost = await load(`${plainUrl}/plain`, { method: 'POST', body });
  const apiPost = await load(`${apiUrl}/workflow`, { method: 'POST', key: k, body });
  const row = (path: string, r: Result, baseline: Result | null, goal: string) => ({
    path,
    'req/s': Math.round(r.rps),
    'p99 ms': r.p99,
    'non-2xx': r.non2xx,
    'CPU µs/req': Math.round(r.cpuUs),
    'ratio to plain': baseline === null ? '' : Number((r.rps / baseline.rps).toFixed(2)),
    goal,
  });
  console.table([
    row('GET plain Fastify route', plainGet, null, ''),
    row('GET plain route doing the same store reads', readsGet, plainGet, ''),
    row('GET /workflows/{id} with an API key', apiGet, plainGet, '>= 0.5'),
    row('POST plain Fastify route', plainPost, null, ''),
    row('POST /workflow (queued only)', apiPost, plainPost, ''),
  ]);
  console.log(
    `${SECONDS}s per path, ${CONNECTIONS} connections, one process, SQLite, ${availableParallelism()} CPUs; ` +
      `${(await orch.store.workflows.countByStatus()).queued ?? 0} workflows queued by the POST run`,
  );
  if (apiGet.non2xx > 0 || apiPost.non2xx > 0) {
    console.log('warning: some API responses were not 2xx; the figures above include them');
    process.exitCode = 1;
  }
} finally {
  // autocannon drops its connections at the deadline; let the handlers it left running finish.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await api.close();
  await plain.close();
  await engine.close();
  await orch.close();
  await rm(base, { recursive: true, force: true });
}
