/** Public API of the MCP server: everything else in src/mcp/ is internal. */
export { createMcpServer } from './server.js';
export type { McpDeps, PrincipalResolver } from './context.js';
export { localPrincipal } from './principal.js';
export type { LocalPrincipalOptions } from './principal.js';
export type { ToolErrorBody, ToolErrorCode } from './result.js';
