import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineEvent, Orchestrator, QueueStats } from '../../engine/index.js';
import { WORKFLOW_STATUSES } from '../../store/index.js';

export interface MetricsDeps {
  orch: Orchestrator;
  /** The engine's queue, read at scrape time. */
  queueStats: () => QueueStats;
}

export interface Metrics {
  registry: Registry;
  /** Stops listening to the bus and the audit log. */
  close(): void;
}

const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
const COMMAND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/**
 * Prometheus metrics for `/metrics`, one registry per server. Counters and histograms follow the
 * event bus (steps) and the audit log (commands, policy denials, auth failures) — the two places
 * every action already passes — and gauges read the store when scraped, so they are right even
 * for work another process did.
 */
export function createMetrics(deps: MetricsDeps): Metrics {
  const { orch } = deps;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'automatos_workflows',
    help: 'Workflows on record by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await orch.store.workflows.countByStatus();
      for (const status of WORKFLOW_STATUSES) this.set({ status }, counts[status] ?? 0);
    },
  });
  new Gauge({
    name: 'automatos_queue_jobs',
    help: 'Workflows in this process queue, waiting or running',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { queued, running } = deps.queueStats();
      this.set({ state: 'queued' }, queued);
      this.set({ state: 'running' }, running);
    },
  });
  new Gauge({
    name: 'automatos_live_apps',
    help: 'Serving releases (app, target) by their latest health state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = { healthy: 0, unhealthy: 0, unknown: 0, stopped: 0 };
      for (const app of await orch.store.apps.list()) {
        const targets = new Set(
          (await orch.store.apps.releases.list(app.name))
            .filter((r) => r.status === 'active')
            .map((r) => r.target),
        );
        for (const target of targets) {
          const current = await orch.store.apps.releases.current(app.name, target);
          if (current === undefined) continue;
          if (current.stoppedAt !== null) {
            counts.stopped += 1;
            continue;
          }
          const latest = await orch.store.health.latest(app.name, target);
          if (latest === undefined) counts.unknown += 1;
          else if (latest.healthy) counts.healthy += 1;
          else counts.unhealthy += 1;
        }
      }
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });

  const steps = new Histogram({
    name: 'automatos_step_duration_seconds',
    help: 'Duration of workflow steps per target, by step and outcome',
    labelNames: ['step', 'status'],
    buckets: STEP_BUCKETS,
    registers: [registry],
  });
  const commands = new Histogram({
    name: 'automatos_command_duration_seconds',
    help: 'Commands run on targets through the guarded executor (SSH or local), by target',
    labelNames: ['target'],
    buckets: COMMAND_BUCKETS,
    registers: [registry],
  });
  const denials = new Counter({
    name: 'automatos_policy_denials_total',
    help: 'Commands the policy denied, by rule',
    labelNames: ['rule'],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'automatos_auth_failures_total',
    help: 'Requests refused by authentication (auth.failed) or authorization (auth.denied)',
    labelNames: ['action', 'source'],
    registers: [registry],
  });

  const started = new Map<string, number>();
  const offBus = orch.bus.subscribe((event: EngineEvent) => {
    if (event.type !== 'step') return;
    const key = `${event.workflowId}/${event.target}/${event.step}`;
    if (event.status === 'running') {
      started.set(key, Date.parse(event.at));
      return;
    }
    const from = started.get(key);
    started.delete(key);
    if (from !== undefined) {
      steps.observe(
        { step: event.step, status: event.status },
        Math.max(0, Date.parse(event.at) - from) / 1000,
      );
    }
  });
  const offAudit = orch.audit.observe((event) => {
    if (event.action === 'exec.result' && event.result !== null && event.target !== null) {
      commands.observe({ target: event.target }, event.result.durationMs / 1000);
    }
    if (event.decision === 'deny') denials.inc({ rule: event.rule ?? 'unknown' });
    if (event.action === 'auth.failed' || event.action === 'auth.denied') {
      authFailures.inc({ action: event.action, source: event.source });
    }
  });

  return {
    registry,
    close() {
      offBus();
      offAudit();
      started.clear();
    },
  };
}
