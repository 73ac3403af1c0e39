import type { EngineEvent, EventHandler } from '../../engine/index.js';
import type { Io } from '../io.js';

/**
 * One line per step change and per output line, prefixed by target and step so several targets
 * stay readable: the view for pipes, CI logs and `--no-tty`.
 */
export function plainView(io: Io, options: { workflowPrefix?: boolean } = {}): EventHandler {
  const tag = (event: { workflowId: string; target: string }) =>
    options.workflowPrefix === true ? `[${event.workflowId} ${event.target}]` : `[${event.target}]`;
  return (event: EngineEvent) => {
    switch (event.type) {
      case 'step':
        io.err(
          `${tag(event)} ${event.step.padEnd(8)} ${event.status}${event.detail === null ? '' : `: ${event.detail}`}\n`,
        );
        return;
      case 'log': {
        const prefix = `${tag(event)} ${event.step.padEnd(8)} | `;
        const lines = event.text.replace(/\n$/, '').split('\n');
        (event.stream === 'stdout' ? io.out : io.err)(`${lines.map((line) => prefix + line).join('\n')}\n`);
        return;
      }
      case 'workflow.status':
        if (options.workflowPrefix === true) {
          io.err(
            `[${event.workflowId}] ${event.app} ${event.status}${event.error === null ? '' : `: ${event.error}`}\n`,
          );
        }
        return;
      default:
        return;
    }
  };
}
