import type { Duplex } from 'node:stream';

/** A TCP connection to host:port as the target sees it: GuardedExecutor.connect for real targets. */
export type Connect = (host: string, port: number) => Promise<Duplex>;

/** Runs the planned health-check command through the guard; exit code 0 is healthy. */
export type RunCheckCommand = (options: {
  timeoutMs: number;
  signal?: AbortSignal;
}) => Promise<{ exitCode: number | null; stdoutTail?: string; stderrTail?: string; timedOut?: boolean }>;

export interface ProbeResult {
  healthy: boolean;
  /** The HTTP status code (http probes that got a status line), otherwise null. */
  statusCode: number | null;
  latencyMs: number;
  /** What was seen, for the operator and the rollback reason: a status line, an error, an exit code. */
  detail: string;
}

export interface ProbeOptions {
  /** Needed for `command` probes. */
  runCommand?: RunCheckCommand;
  signal?: AbortSignal;
}

export interface HealthAttempt extends ProbeResult {
  /** 1-based. */
  attempt: number;
  /** When the attempt started, ms since the epoch. */
  at: number;
}

export interface HealthVerdict {
  healthy: boolean;
  /** Stopped by the AbortSignal before a verdict. */
  cancelled: boolean;
  attempts: HealthAttempt[];
  /** One line: why it is (un)healthy, naming the last attempt's detail. */
  reason: string;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface VerifyDeps extends ProbeOptions {
  connect: Connect;
  /** Injectable for tests; the default is an abortable timer. */
  sleep?: Sleep;
  /** Injectable clock for attempt timestamps (default Date.now). */
  now?: () => number;
  /** Called after every attempt (events, logs). */
  onAttempt?: (attempt: HealthAttempt) => void;
}
