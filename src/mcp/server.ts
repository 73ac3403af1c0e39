import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpDeps } from './context.js';
import { registerExecuteTool } from './tools/execute.js';
import { registerHealthTool } from './tools/health.js';
import { registerManifestTools } from './tools/manifest.js';
import { registerPlanTool } from './tools/plan.js';
import { registerRollbackTool } from './tools/rollback.js';
import { registerTargetTools } from './tools/targets.js';
import { registerWorkflowTools } from './tools/workflows.js';

const INSTRUCTIONS = [
  'Automatos deploys apps (a directory or git URL with an ai-module.yaml, or a detected stack) to targets',
  'over SSH, every command checked by a security policy and recorded in an audit log.',
  'Typical flow: list_targets -> plan (dry run, shows every command and its policy verdict) -> deploy',
  '(returns a workflow id at once) -> get_workflow until finished -> health. execute runs one guarded',
  'command; validate_manifest and generate_manifest help write ai-module.yaml. What a caller may do is',
  'limited by its role; a refused call is a tool error with code AUT_FORBIDDEN.',
].join(' ');

/**
 * The MCP server, independent of its transport: `automatos mcp` connects it to stdio, the HTTP
 * server can connect one to a StreamableHTTP transport with a principal resolver over its API keys.
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: 'automatos', title: 'Automatos', version: deps.version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  registerWorkflowTools(server, deps);
  registerPlanTool(server, deps);
  registerRollbackTool(server, deps);
  registerExecuteTool(server, deps);
  registerTargetTools(server, deps);
  registerManifestTools(server, deps);
  registerHealthTool(server, deps);
  return server;
}
