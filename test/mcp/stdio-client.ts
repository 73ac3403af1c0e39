import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'bin', 'automatos.js');

export interface McpSession {
  client: Client;
  /** What the server wrote to stderr (its only diagnostics channel). */
  stderr: () => string;
  call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  close: () => Promise<void>;
}

/** `node bin/automatos.js --data-dir DIR mcp …flags`, spoken to by the SDK's own client. */
export async function startMcp(dataDir: string, flags: readonly string[] = []): Promise<McpSession> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [ENTRY, '--data-dir', dataDir, 'mcp', ...flags],
    env,
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'automatos-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

export interface ToolError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export function errorOf(result: CallToolResult): ToolError {
  if (result.isError !== true) throw new Error(`expected a tool error, got ${JSON.stringify(result)}`);
  return (result.structuredContent as { error: ToolError }).error;
}

export function dataOf<T = Record<string, unknown>>(result: CallToolResult): T {
  if (result.isError === true) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}
