import type { HostKeyOptions } from './host-key.js';

export type SshAuth =
  | { privateKey: string | Buffer; passphrase?: string }
  /** Path of the ssh-agent socket, usually `process.env.SSH_AUTH_SOCK`. */
  | { agent: string };

/** One SSH target and how its connection pool behaves. */
export interface SshTargetConfig {
  /** The target's name, used in messages and as `Executor.target`. */
  name: string;
  host: string;
  port?: number;
  user: string;
  auth: SshAuth;
  hostKey: HostKeyOptions;
  /** Time allowed for TCP connect + handshake + auth (default 20 s). */
  readyTimeoutMs?: number;
  /** Keepalive probe interval (default 15 s); the connection is dropped after `keepaliveCountMax` misses (3). */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Close the connection after this long without channels (default 60 s). */
  idleTimeoutMs?: number;
  /** Concurrent command channels on the connection (default 8, below sshd's MaxSessions 10). */
  maxChannels?: number;
  /** Between SIGTERM and SIGKILL when a remote command is stopped (default 2000 ms). */
  killGraceMs?: number;
}

export const SSH_DEFAULTS = {
  port: 22,
  readyTimeoutMs: 20_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  idleTimeoutMs: 60_000,
  maxChannels: 8,
  killGraceMs: 2000,
} as const;

export function describeTarget(config: SshTargetConfig): string {
  return `${config.name} (${config.user}@${config.host}:${config.port ?? SSH_DEFAULTS.port})`;
}
