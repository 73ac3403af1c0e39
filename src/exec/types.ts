import type { Duplex, Readable } from 'node:stream';

/** How to run one command on a host. The command is the exact shell text the host receives. */
export interface RunOptions {
  cwd?: string;
  /** Passed to the command itself, never through sshd's AcceptEnv; values are never logged. */
  env?: Record<string, string>;
  stdin?: Readable | Buffer | string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** How many trailing bytes of each stream the result keeps (default 64 KiB). */
  tailBytes?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
  stdoutBytes: number;
  stderrBytes: number;
  timedOut: boolean;
  cancelled: boolean;
}

export interface UploadOptions {
  exclude?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface UploadResult {
  bytes: number;
  durationMs: number;
}

/**
 * One host. Implementations: the local machine (the built-in `local` target) and SSH targets. Only the
 * guarded executor calls these; everything else goes through it.
 */
export interface Executor {
  readonly target: string;
  run(command: string, options?: RunOptions): Promise<RunResult>;
  /** Streams a directory tree as tar into `remoteDir` (created if missing), keeping modes and symlinks. */
  upload(localDir: string, remoteDir: string, options?: UploadOptions): Promise<UploadResult>;
  /** A TCP connection to host:port as seen from the target (health checks; SSH uses forwardOut). */
  connect(host: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}
