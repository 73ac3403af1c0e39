import { spawn } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { AutomatosError } from '../core/index.js';
import { baseEnv } from './env.js';
import { DEFAULT_KILL_GRACE_MS, Deadline, OutputCollector } from './result.js';
import { checkEnv } from './shell.js';
import { feedStdin } from './stdin.js';
import type { Executor, RunOptions, RunResult, UploadOptions, UploadResult } from './types.js';
import { uploadTree } from './upload.js';

export interface LocalExecutorOptions {
  /** Time between SIGTERM and SIGKILL when a command is stopped (default 2000 ms). */
  killGraceMs?: number;
  /** The shell that runs commands (default /bin/sh). */
  shell?: string;
}

/** The built-in `local` target: commands run on the orchestrator's machine, each in its own process group. */
export class LocalExecutor implements Executor {
  readonly target = 'local';
  private readonly killGraceMs: number;
  private readonly shell: string;

  constructor(options: LocalExecutorOptions = {}) {
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.shell = options.shell ?? '/bin/sh';
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    try {
      checkEnv(options.env);
    } catch (error) {
      return Promise.reject(error);
    }
    const output = new OutputCollector(options);
    if (options.signal?.aborted) {
      return Promise.resolve(output.result(null, null, { timedOut: false, cancelled: true }));
    }
    return new Promise((resolve, reject) => {
      const child = spawn(this.shell, ['-c', command], {
        cwd: options.cwd,
        env: { ...baseEnv(), ...options.env },
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const deadline = new Deadline(options, () => killGroup(child.pid, this.killGraceMs));
      child.stdout.on('data', (chunk: Buffer) => output.out(chunk));
      child.stderr.on('data', (chunk: Buffer) => output.err(chunk));
      child.once('error', (error: NodeJS.ErrnoException) => {
        deadline.dispose();
        reject(
          new AutomatosError('AUT_EXEC_SPAWN', spawnMessage(error, this.shell, options.cwd), {
            details: { code: error.code, cwd: options.cwd },
            cause: error,
          }),
        );
      });
      child.once('close', (code, signal) => {
        deadline.dispose();
        resolve(output.result(code, signal, deadline));
      });
      if (child.pid !== undefined) feedStdin(options.stdin, child.stdin);
    });
  }

  upload(localDir: string, remoteDir: string, options: UploadOptions = {}): Promise<UploadResult> {
    return uploadTree((command, runOptions) => this.run(command, runOptions), localDir, remoteDir, options);
  }

  connect(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port });
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AutomatosError(
            'AUT_EXEC_CONNECT',
            `Cannot connect to ${host}:${port} on local: ${error.message}`,
            {
              details: { host, port, code: error.code },
              transient: true,
              cause: error,
            },
          ),
        ),
      );
    });
  }

  async close(): Promise<void> {
    // Nothing pooled: each command is its own process.
  }
}

function spawnMessage(error: NodeJS.ErrnoException, shell: string, cwd: string | undefined): string {
  if (error.code === 'ENOENT' && cwd !== undefined)
    return `Cannot run in ${cwd}: no such directory (or ${shell} is missing)`;
  return `Cannot start ${shell}: ${error.message}`;
}

/** SIGTERM to the whole process group, SIGKILL after the grace period if anything is left. */
function killGroup(pid: number | undefined, graceMs: number): void {
  if (pid === undefined) return;
  if (!signalGroup(pid, 'SIGTERM')) return;
  setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs).unref();
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}
