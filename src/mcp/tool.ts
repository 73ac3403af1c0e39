import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CallContext, resolvePrincipal } from './context.js';
import type { McpDeps } from './context.js';
import { toolError } from './result.js';

export interface ToolSpec<Shape extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: Shape;
  annotations: ToolAnnotations;
  run: (args: z.output<z.ZodObject<Shape>>, call: CallContext) => Promise<CallToolResult>;
}

/**
 * Registers a tool whose input is a strict zod object (unknown fields are refused) and whose every
 * failure — authorization, bad input the engine finds, an engine error, a bug — comes back as a
 * tool error value. A throw out of here would reach the SDK, which reports only a bare message.
 */
export function defineTool<Shape extends z.ZodRawShape>(
  server: McpServer,
  deps: McpDeps,
  spec: ToolSpec<Shape>,
): void {
  const schema = z.strictObject(spec.input);
  server.registerTool<z.ZodRawShape, typeof schema>(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: schema,
      annotations: spec.annotations,
    },
    async (args, extra) => {
      try {
        const call = new CallContext(deps, resolvePrincipal(deps, extra.authInfo), spec.name);
        return await spec.run(args as z.output<z.ZodObject<Shape>>, call);
      } catch (error) {
        return toolError(error);
      }
    },
  );
}
