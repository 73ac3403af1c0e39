import { posix } from 'node:path';
import type { AiModule } from '../../manifest/index.js';
import { renderCommand, script } from '../command.js';
import { userScript, withEnvFile } from '../shell.js';
import { shellQuote } from '../quote.js';
import { sandboxLauncher, shellArgv, unconfinedLauncher } from '../../sandbox/index.js';
import { appSandbox } from '../sandbox.js';
import type { AppLayout, PlannedCommand, TargetFacts } from '../types.js';
import { writeFileFromStdin } from '../write-file.js';
import { SUPERVISOR_SCRIPT } from './supervisor.js';

/** How long `stop` waits for the supervisor to stop the app before KILLing both groups. */
export const PROCESS_STOP_WAIT_SEC = 15;
/** How long `start` waits for the supervisor to write its pid file. */
export const PROCESS_START_WAIT_SEC = 10;

/** Where the supervisor and the child's pid live: next to the supervisor's own pid file. */
export function supervisorPaths(layout: AppLayout): { script: string; childPidFile: string } {
  const app = posix.basename(layout.pidFile, '.pid');
  return {
    script: posix.join(layout.runDir, 'supervise.sh'),
    childPidFile: posix.join(layout.runDir, `${app}.child.pid`),
  };
}

/**
 * Writes the supervisor script (data, not an ad-hoc string run on the target) next to its final
 * name, then renames it over: a shell still reading the old file keeps its inode.
 */
export function writeSupervisor(layout: AppLayout): PlannedCommand {
  return {
    command: writeFileFromStdin(supervisorPaths(layout).script, '0755', 'runtime.process.supervisor'),
    purpose: 'write the process supervisor run/supervise.sh',
    stdin: { kind: 'text', content: SUPERVISOR_SCRIPT },
  };
}

/**
 * TERM to the supervisor's process group (it stops the app's group, KILLing it after its grace,
 * and removes both pid files); wait a bounded time for that, then KILL whatever is left of both
 * groups. A no-op when nothing runs.
 */
export function processStop(layout: AppLayout): PlannedCommand {
  const pid = shellQuote(layout.pidFile);
  const child = shellQuote(supervisorPaths(layout).childPidFile);
  const rounds = PROCESS_STOP_WAIT_SEC * 10;
  const text = [
    `if [ -f ${pid} ]; then p=$(cat ${pid});`,
    `kill -s TERM -- "-$p" 2>/dev/null || kill -s TERM "$p" 2>/dev/null;`,
    `i=0; while [ $i -lt ${rounds} ] && [ -f ${pid} ] && kill -s 0 "$p" 2>/dev/null; do sleep 0.1; i=$((i+1)); done;`,
    `kill -s KILL -- "-$p" 2>/dev/null; fi;`,
    `if [ -f ${child} ]; then c=$(cat ${child});`,
    `kill -s TERM -- "-$c" 2>/dev/null && sleep 1; kill -s KILL -- "-$c" 2>/dev/null; fi;`,
    `rm -f ${pid} ${child}`,
  ].join(' ');
  return {
    command: script(text, 'runtime.process.stop'),
    purpose: 'stop the supervisor and the whole process group of the app',
    timeoutSec: PROCESS_STOP_WAIT_SEC + 15,
  };
}

/**
 * Checks start_command's syntax, starts the supervisor in its own session, detached (stdio on
 * /dev/null), and waits until it wrote its pid file. Refuses to start a second supervisor next to a live one.
 */
export function processStart(module: AiModule, layout: AppLayout, target: TargetFacts): PlannedCommand {
  const pid = shellQuote(layout.pidFile);
  const { script: supervisor, childPidFile } = supervisorPaths(layout);
  const rounds = PROCESS_START_WAIT_SEC * 10;
  const shell = target.shell ?? 'bash';
  // The app runs in the sandbox the build ran in, but without --die-with-parent: the supervisor's
  // TERM reaches the app's process group and it may shut down gracefully.
  const launcher =
    (target.sandbox ?? 'bwrap') === 'off'
      ? unconfinedLauncher(shell)
      : sandboxLauncher(appSandbox(module, layout, target, { dieWithParent: false }), shell);
  const launch = [
    'setsid',
    supervisor,
    layout.appDir,
    module.name,
    '--',
    'sh',
    '-c',
    launcher,
    'automatos-sandbox',
    renderCommand(withEnvFile(layout.envFile, userScript(module.start_command, 'start_command'))),
  ]
    .map(shellQuote)
    .join(' ');
  // `bash -n -c START` only parses start_command, in the shell that will run it: a syntax error
  // fails here instead of crash-looping, and the policy walks the code of `bash -c`, so it reviews
  // start_command (the supervisor's own argv is opaque to it).
  const text = [
    `${shellArgv(shell).replace(/ -c$/, ' -n -c')} ${shellQuote(module.start_command)} || exit 2;`,
    `if [ -f ${pid} ] && kill -s 0 "$(cat ${pid})" 2>/dev/null; then`,
    `echo "${module.name} is already running (supervisor pid $(cat ${pid})); stop it first" >&2; exit 1; fi;`,
    `rm -f ${pid} ${shellQuote(childPidFile)};`,
    `${launch} < /dev/null > /dev/null 2>&1 &`,
    `i=0; while [ $i -lt ${rounds} ] && [ ! -s ${pid} ]; do sleep 0.1; i=$((i+1)); done;`,
    `test -s ${pid}`,
  ].join(' ');
  return {
    command: script(text, 'runtime.process.start'),
    purpose: 'start the supervisor, which runs start_command in its own session',
    timeoutSec: PROCESS_START_WAIT_SEC + 10,
  };
}

/**
 * The `process` runtime: a supervisor (run/supervise.sh) keeps start_command running in its own
 * session, restarts it with backoff when it exits, and stops its whole process group on TERM.
 * Stop first, so the script is never rewritten under a running shell.
 */
export function processRestart(module: AiModule, layout: AppLayout, target: TargetFacts): PlannedCommand[] {
  return [processStop(layout), writeSupervisor(layout), processStart(module, layout, target)];
}
