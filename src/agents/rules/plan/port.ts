import { commandWithPort, portFromCommand } from '../../../detect/index.js';
import type { Intent } from '../intent/index.js';
import { met, unmet, type Handler } from './context.js';

type PortIntent = Extract<Intent, { kind: 'port' }>;

const DEFAULT_PORT = 8000;

/**
 * The port goes into `port` (and so PORT in the app's environment and the health check) and into
 * the start command where detection wrote a port literal, as `--port` does for tier 2.
 */
export const handlePort: Handler<PortIntent> = (intent, ctx) => {
  const { port } = intent;
  if (intent.negated) return unmet(intent.text, 'not understood: a port can be set, not refused');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    return unmet(
      intent.text,
      `${port} is not a TCP port (1–65535); the module keeps port ${ctx.module.port ?? DEFAULT_PORT}`,
    );
  }
  const start = ctx.module.start_command;
  const from = portFromCommand(start, 'start_command')?.port ?? ctx.module.port ?? DEFAULT_PORT;
  const rewritten = from === port ? null : commandWithPort(start, from, port);
  ctx.module.port = port;
  if (rewritten !== null) ctx.module.start_command = rewritten;
  if (port < 1024) ctx.notes.push(`Port ${port} is below 1024: binding it needs root on the target.`);
  const named = portFromCommand(ctx.module.start_command, 'start_command')?.port === port;
  return met(
    intent.text,
    named
      ? `port: ${port}; start_command: ${ctx.module.start_command}`
      : `port: ${port} (PORT=${port} in the app's environment; the start command names no port, so the app must read PORT)`,
  );
};
