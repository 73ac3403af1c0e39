import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnDetachedWorker } from '../exec/index.js';
import type { CommandContext } from './context.js';

/** bin/automatos.js, two folders above this file in both src/ and dist/. */
const ENTRY = fileURLToPath(new URL('../../bin/automatos.js', import.meta.url));

/**
 * A background `automatos worker --once --workflow ID` that runs one queued workflow and outlives
 * this command; its output goes to DATA_DIR/logs/worker-ID.log.
 */
export function startBackgroundWorker(ctx: CommandContext, workflowId: string): { pid: number; log: string } {
  const log = join(ctx.dataDir, 'logs', `worker-${workflowId}.log`);
  const pid = spawnDetachedWorker({
    script: ENTRY,
    args: ['--data-dir', ctx.dataDir, 'worker', '--once', '--workflow', workflowId],
    // The database URL (it may hold a password) travels in the environment, not on the command line.
    env: {
      ...ctx.io.env,
      ...(ctx.databaseUrl === undefined ? {} : { AUTOMATOS_DATABASE_URL: ctx.databaseUrl }),
    },
    logFile: log,
  });
  return { pid, log };
}
