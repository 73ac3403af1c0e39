import type { Duplex } from 'node:stream';
import type { Executor, RunOptions, RunResult, UploadOptions, UploadResult } from '../types.js';
import { uploadTree } from '../upload.js';
import { SSH_DEFAULTS, type SshTargetConfig } from './config.js';
import { SshPool, type PoolStats } from './pool.js';
import { runOverSsh } from './run.js';

/** An SSH target: every command, upload and forwarded connection shares one pooled connection. */
export class SshExecutor implements Executor {
  readonly target: string;
  private readonly pool: SshPool;
  private readonly killGraceMs: number;

  constructor(config: SshTargetConfig) {
    this.target = config.name;
    this.pool = new SshPool(config);
    this.killGraceMs = config.killGraceMs ?? SSH_DEFAULTS.killGraceMs;
  }

  /** Connection and channel counters (tests, `targets check`, metrics). */
  get stats(): Readonly<PoolStats> {
    return this.pool.stats;
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    return runOverSsh(this.pool, command, options, this.killGraceMs);
  }

  upload(localDir: string, remoteDir: string, options: UploadOptions = {}): Promise<UploadResult> {
    return uploadTree((command, runOptions) => this.run(command, runOptions), localDir, remoteDir, options);
  }

  connect(host: string, port: number): Promise<Duplex> {
    return this.pool.forwardOut(host, port);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
