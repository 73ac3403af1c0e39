import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { rollbackApp } from '../../engine/index.js';
import { isReleaseId } from '../../plan/index.js';
import type { McpDeps } from '../context.js';
import { ok } from '../result.js';
import { appName, targetName } from '../schemas.js';
import { defineTool } from '../tool.js';

export function registerRollbackTool(server: McpServer, deps: McpDeps): void {
  defineTool(server, deps, {
    name: 'rollback',
    title: 'Roll an app back',
    description:
      'Switch an app on one target back to an earlier release (default: the one that served before the ' +
      "current one), restart it with that release's own manifest and verify its health. Recorded as a " +
      'workflow; the call returns when the rollback has finished (usually seconds).',
    input: {
      app: appName,
      target: targetName,
      to: z
        .string()
        .max(128)
        .refine(isReleaseId, 'must be a release id such as 20261125T101500Z-1a2b3c4')
        .optional()
        .describe('the release id to go back to'),
    },
    annotations: { destructiveHint: true, openWorldHint: true },
    run: async ({ app, target, to }, call) => {
      await call.require('rollback', [target]);
      await call.audit(target, { app, ...(to === undefined ? {} : { to }) });
      const outcome = await rollbackApp(
        call.orch,
        { app, target, ...(to === undefined ? {} : { to }) },
        call.actor,
      );
      return ok(
        `${app} on ${target}: rolled back from ${outcome.from ?? 'nothing'} to ${outcome.to} (workflow ${outcome.workflowId})`,
        { workflow_id: outcome.workflowId, app, target, from: outcome.from, to: outcome.to },
      );
    },
  });
}
