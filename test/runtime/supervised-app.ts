// Runs the process runtime's planned commands on a real executor through the real guard (policy
// engine, in-memory audit), against an app directory in a temp dir of this machine.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Connect } from '../../src/engine/health/index.js';
import { GuardedExecutor, type Executor, type GuardedTarget, type RunResult } from '../../src/exec/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';
import {
  appLayout,
  processStart,
  processStop,
  renderCommand,
  supervisorPaths,
  writeSupervisor,
} from '../../src/plan/index.js';
import type { AppLayout, PlannedCommand } from '../../src/plan/index.js';
import { createPolicyEngine } from '../../src/policy/index.js';

const actor = { principal: 'test:runtime', source: 'cli' as const };

export interface SupervisedApp {
  layout: AppLayout;
  /** The guard's connect on this target (health probes). */
  connect: Connect;
  childPidFile: string;
  releaseDir: string;
  start(env?: Record<string, string>): Promise<RunResult>;
  stop(): Promise<RunResult>;
  log(): string;
}

export function supervisedApp(
  executor: Executor,
  root: string,
  name: string,
  startCommand: string,
  env: Record<string, string> = {},
): SupervisedApp {
  const guard = new GuardedExecutor({
    policy: createPolicyEngine(),
    audit: { append: async () => undefined },
  });
  const target: GuardedTarget = {
    name: executor.target,
    executor,
    profile: 'standard',
    sandbox: 'bwrap',
    writableRoots: [root],
    home: root,
  };
  const module = AiModuleSchema.parse({
    name,
    version: '1.0.0',
    description: 'supervised test app',
    module_type: 'web_app',
    build_command: 'true',
    start_command: startCommand,
  });
  const layout = appLayout(root, name, 'r1');
  for (const dir of [layout.releaseDir, layout.logDir, layout.runDir]) mkdirSync(dir, { recursive: true });
  symlinkSync(layout.releaseDir, layout.current);
  const envLines = Object.entries({ GREETING: 'hello world', ...env }).map(([k, v]) => `${k}='${v}'\n`);
  writeFileSync(layout.envFile, envLines.join(''), { mode: 0o600 });

  const run = (planned: PlannedCommand, env?: Record<string, string>): Promise<RunResult> =>
    guard.run(
      target,
      renderCommand(planned.command),
      {
        cwd: planned.cwd ?? layout.appDir,
        timeoutMs: (planned.timeoutSec ?? 30) * 1000,
        ...(planned.stdin?.kind === 'text' ? { stdin: planned.stdin.content } : {}),
        ...(env === undefined ? {} : { env }),
      },
      actor,
    );
  let written = false;
  return {
    layout,
    connect: (host, port) => guard.connect(target, host, port, actor),
    childPidFile: supervisorPaths(layout).childPidFile,
    releaseDir: layout.releaseDir,
    start: async (env) => {
      if (!written) {
        const result = await run(writeSupervisor(layout));
        if (result.exitCode !== 0) throw new Error(`writing the supervisor failed: ${result.stderrTail}`);
        written = true;
      }
      return run(
        processStart(module, layout, {
          name: executor.target,
          root,
          user: 'test',
          isRoot: false,
          hasSystemd: false,
          packageManager: null,
          reach: 'local',
          // These tests watch the supervisor's own process groups from outside; the sandboxed app
          // is tested through deploys (test/e2e) and in test/sandbox.
          sandbox: 'off',
        }),
        env,
      );
    },
    stop: () => run(processStop(layout)),
    log: () => readFileSync(layout.logFile, 'utf8'),
  };
}

/** pid, process group and session of a live process, from /proc (tests share the machine). */
export function procStat(pid: number): { state: string; pgrp: number; session: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', , pgrp = '0', session = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, pgrp: Number(pgrp), session: Number(session) };
  } catch {
    return undefined;
  }
}
