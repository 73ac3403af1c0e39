import { JSONRPCMessageSchema, JSONRPCResponseSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ErrorBodySchema } from './responses.js';

// The MCP SDK's own JSON-RPC schemas: the transport checks each message against them again.

export const McpBodySchema = z
  .union([JSONRPCMessageSchema, z.array(JSONRPCMessageSchema).min(1)])
  .describe('one JSON-RPC 2.0 message, or a batch of them');

export const McpResultSchema = z
  .union([JSONRPCResponseSchema, z.array(JSONRPCResponseSchema)])
  .describe('the JSON-RPC response to each request, as one message or a batch');

/** What the SDK's transport answers itself when it refuses a request (no request id to answer). */
export const JsonRpcRefusalSchema = z.strictObject({
  jsonrpc: z.literal('2.0'),
  error: z.strictObject({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
  id: z.null(),
});

export const McpRefusalSchema = z.union([ErrorBodySchema, JsonRpcRefusalSchema]);
