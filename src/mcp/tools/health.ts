import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { monitorOnce } from '../../engine/index.js';
import { inScope } from '../../security/index.js';
import type { McpDeps } from '../context.js';
import { ok } from '../result.js';
import { appName } from '../schemas.js';
import { defineTool } from '../tool.js';

export function registerHealthTool(server: McpServer, deps: McpDeps): void {
  const startedAt = Date.now();
  defineTool(server, deps, {
    name: 'health',
    title: 'Health of an app, or of the server',
    description:
      "With an app: health-check each target's live release of it once now (recorded, like `automatos " +
      "monitor --once`) and return healthy / unhealthy / skipped per target. Without: the server's own " +
      'liveness (version, uptime, database reachable, workflows queued and running here).',
    input: { app: appName.optional() },
    annotations: { readOnlyHint: true, openWorldHint: true },
    run: async ({ app }, call) => {
      await call.require('read');
      if (app === undefined) {
        // A query that touches the database: "alive" means able to answer, not only running.
        await call.orch.store.workflows.list({ limit: 1 });
        const queue = call.deps.engine.stats();
        const uptime = Math.round((Date.now() - startedAt) / 1000);
        return ok(
          `automatos ${call.deps.version}: ok, up ${uptime}s, ${queue.running} running, ${queue.queued} queued`,
          {
            status: 'ok',
            version: call.deps.version,
            uptime_sec: uptime,
            database: 'ok',
            workflows: queue,
          },
        );
      }
      const checks = (await monitorOnce(call.orch, { app, actor: call.actor })).filter((c) =>
        inScope(call.principal, c.target),
      );
      const text =
        checks.length === 0
          ? `${app}: no live release in scope to check`
          : checks
              .map((c) => `${c.app} on ${c.target} (${c.releaseId}): ${c.state} — ${c.detail}`)
              .join('\n');
      return ok(text, {
        app,
        healthy: checks.every((c) => c.state !== 'unhealthy'),
        checks: checks.map((c) => ({
          target: c.target,
          release_id: c.releaseId,
          state: c.state,
          detail: c.detail,
          status_code: c.statusCode,
          latency_ms: c.latencyMs,
          at: c.at,
          alert: c.alert,
        })),
      });
    },
  });
}
