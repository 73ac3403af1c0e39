import type { AiModule } from '../../manifest/index.js';
import { script } from '../command.js';
import { shellQuote } from '../quote.js';
import type { AppLayout, PlannedCommand } from '../types.js';

/**
 * The `process` runtime: the app runs in its own session (setsid) so stopping it kills the whole
 * process group, with its pid and log files under the app directory. Restart-on-crash arrives with
 * the supervisor of the workflow engine; until then a crashed app stays down and monitoring sees it.
 */
export function processRestart(module: AiModule, layout: AppLayout): PlannedCommand[] {
  const pid = shellQuote(layout.pidFile);
  const stop = [
    `if [ -f ${pid} ]; then`,
    `kill -TERM -- "-$(cat ${pid})" 2>/dev/null || true;`,
    `rm -f ${pid};`,
    'fi',
  ].join(' ');
  const start = [
    `cd ${shellQuote(layout.current)}`,
    'set -a',
    `. ${shellQuote(layout.envFile)}`,
    'set +a',
    `{ setsid nohup sh -c ${shellQuote(module.start_command)} >> ${shellQuote(layout.logFile)} 2>&1 < /dev/null & echo $! > ${pid}; }`,
  ].join(' && ');
  return [
    {
      command: script(stop, 'runtime.process.stop'),
      purpose: 'stop the running release (whole process group)',
    },
    { command: script(start, 'runtime.process.start'), purpose: 'start start_command in its own session' },
  ];
}
