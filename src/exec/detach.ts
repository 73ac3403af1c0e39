import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { AutomatosError } from '../core/index.js';

export interface DetachedWorker {
  /** This program's own entry script; run with this Node binary, argv only, no shell. */
  script: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** stdout and stderr go here (appended). */
  logFile: string;
}

/**
 * Starts Automatos's own worker in the background, in its own session so it outlives the command
 * that started it (`deploy --detach`). Not a target command: nothing the operator typed runs here,
 * only this program with fixed arguments, which is why it bypasses the guarded executor.
 */
export function spawnDetachedWorker(worker: DetachedWorker): number {
  mkdirSync(dirname(worker.logFile), { recursive: true, mode: 0o700 });
  const fd = openSync(worker.logFile, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [worker.script, ...worker.args], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: worker.env,
    });
    if (child.pid === undefined) {
      throw new AutomatosError(
        'AUT_EXEC_SPAWN',
        `could not start the background worker (see ${worker.logFile})`,
      );
    }
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}
