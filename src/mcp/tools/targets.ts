import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LOCAL_TARGET, targetView } from '../../engine/index.js';
import { inScope } from '../../security/index.js';
import type { McpDeps } from '../context.js';
import { ok } from '../result.js';
import { defineTool } from '../tool.js';

export function registerTargetTools(server: McpServer, deps: McpDeps): void {
  defineTool(server, deps, {
    name: 'list_targets',
    title: 'List deployment targets',
    description:
      'The targets this caller may use: the built-in "local" target (the orchestrator\'s own machine) and ' +
      'registered SSH targets with address, policy profile, deploy root, labels and host-key pin. Never keys.',
    input: {},
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async (_args, call) => {
      await call.require('read');
      const registered = (await call.orch.store.targets.list()).filter((t) =>
        inScope(call.principal, t.name),
      );
      const targets = [
        ...(inScope(call.principal, LOCAL_TARGET)
          ? [
              {
                name: LOCAL_TARGET,
                builtin: true,
                host: null,
                port: null,
                user: null,
                auth: null,
                host_key_fingerprint: null,
                policy: 'standard',
                root: null,
                labels: {},
              },
            ]
          : []),
        ...registered.map((t) => ({ ...targetView(t), builtin: false })),
      ];
      const text = targets
        .map(
          (t) =>
            `${t.name}: ${t.builtin ? 'this machine' : `${t.user}@${t.host}:${t.port}`} (policy ${t.policy})`,
        )
        .join('\n');
      return ok(text === '' ? 'no targets in scope' : text, { targets });
    },
  });
}
