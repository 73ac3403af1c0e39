import { runExec, runResultView } from '../../engine/index.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpDeps } from '../context.js';
import { ok } from '../result.js';
import { targetName } from '../schemas.js';
import { defineTool } from '../tool.js';

/** An assistant waits for the answer: a command may not hold a tool call longer than this. */
const MAX_TIMEOUT_SEC = 3600;
const DEFAULT_TIMEOUT_SEC = 60;
/** Output tails returned to the model; the full byte counts are in the result and the audit log. */
const TAIL_BYTES = 16 * 1024;

export function registerExecuteTool(server: McpServer, deps: McpDeps): void {
  defineTool(server, deps, {
    name: 'execute',
    title: 'Run one command on a target (guarded)',
    description:
      'Run one shell command on a target through the command policy and the audit log. A command the ' +
      'policy denies is a tool error naming the rule and the reason, and it never runs. Returns the exit ' +
      'code and the tails of stdout and stderr; a non-zero exit code is a result, not a tool error.',
    input: {
      target: targetName,
      command: z
        .string()
        .min(1)
        .max(16_384)
        .describe('the shell command, exactly as the target should run it'),
      working_directory: z
        .string()
        .regex(/^[/~]/, 'must be an absolute path (or start with ~)')
        .max(4096)
        .default('/')
        .describe('working directory on the target (default /)'),
      timeout_sec: z
        .number()
        .positive()
        .max(MAX_TIMEOUT_SEC)
        .default(DEFAULT_TIMEOUT_SEC)
        .describe(
          `stop the command's process group after this many seconds (default ${DEFAULT_TIMEOUT_SEC})`,
        ),
      environment_variables: z
        .record(
          z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
          z.string(),
        )
        .optional()
        .describe(
          'extra environment for the command (variables that change what runs, such as PATH, are refused)',
        ),
    },
    annotations: { destructiveHint: true, openWorldHint: true },
    run: async (args, call) => {
      await call.require('execute', [args.target]);
      await call.audit(args.target, { cwd: args.working_directory, timeout_sec: args.timeout_sec });
      // The engine refuses control bytes, then the guard decides, audits the command and its
      // result; the target's app secrets and known credential shapes are redacted.
      const { result } = await runExec(call.orch, {
        target: args.target,
        command: args.command,
        cwd: args.working_directory,
        timeoutMs: args.timeout_sec * 1000,
        tailBytes: TAIL_BYTES,
        ...(call.deps.signal === undefined ? {} : { signal: call.deps.signal }),
        ...(args.environment_variables === undefined ? {} : { env: args.environment_variables }),
        actor: call.actor,
      });
      const status = result.timedOut
        ? `timed out after ${args.timeout_sec}s (the process group was stopped)`
        : result.exitCode === null
          ? `ended by signal ${result.signal ?? 'unknown'}`
          : `exit ${result.exitCode}`;
      const text = [`${args.target}: ${status}`, result.stdoutTail, result.stderrTail]
        .filter((part) => part !== '')
        .join('\n');
      return ok(text, {
        target: args.target,
        ...runResultView(result),
      });
    },
  });
}
