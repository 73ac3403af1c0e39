import type { AiModule } from '../manifest/index.js';
import type { SandboxMode, SandboxSpec, UserShell } from '../sandbox/index.js';
import type { Command } from './command.js';

export const STEP_NAMES = ['upload', 'prepare', 'build', 'test', 'release', 'verify'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type PackageManager = 'apt' | 'dnf' | 'apk';
export type ResolvedRuntime = 'process' | 'systemd' | 'docker';

/** What the planner needs to know about a target; gathered by the caller, so planning stays pure. */
export interface TargetFacts {
  name: string;
  /** Deploy root, e.g. /opt/automatos/apps (root) or /home/u/.automatos/apps. */
  root: string;
  user: string;
  isRoot: boolean;
  hasSystemd: boolean;
  packageManager: PackageManager | null;
  /** How the health probe reaches the app: through the SSH connection, or directly for `local`. */
  reach: 'local' | 'ssh-forward';
  /** How user commands are confined (default bwrap); `off` only by the target policy's choice. */
  sandbox?: SandboxMode;
  /** The shell user commands run in (default bash, the one the policy parses). */
  shell?: UserShell;
  /** The writable roots of the target's policy (default: the policy's); writable_paths must lie in one. */
  writableRoots?: readonly string[];
  /** Masked in every sandbox there besides the built-in list: the orchestrator's data dir. */
  protectedPaths?: readonly string[];
  /** Packages the sandbox needs that the host lacks (bubblewrap, bash): prepare installs them. */
  missingSandboxPackages?: readonly string[];
}

/** Bytes fed to a command's stdin, described without their content where it is secret. */
export type StdinSource =
  | { kind: 'tar'; from: string; exclude: readonly string[] }
  | { kind: 'env_file'; variables: readonly string[]; secrets: readonly string[] }
  | { kind: 'text'; content: string };

export interface PlannedCommand {
  command: Command;
  purpose: string;
  cwd?: string;
  stdin?: StdinSource;
  timeoutSec?: number;
  /** Present on commands Automatos did not build: they run inside this sandbox on the target. */
  sandbox?: SandboxSpec;
}

export interface HealthProbe {
  type: 'http' | 'tcp' | 'command';
  host: string;
  port: number;
  path: string | null;
  expectStatus: number | null;
  command: string | null;
  intervalSec: number;
  timeoutSec: number;
  retries: number;
  startPeriodSec: number;
  via: TargetFacts['reach'];
}

export interface PlanStep {
  name: StepName;
  description: string;
  commands: PlannedCommand[];
  probe?: HealthProbe;
  /** Why a step does nothing (no test_command, health check disabled); never silently empty. */
  skipped?: string;
}

export interface AppLayout {
  appDir: string;
  releasesDir: string;
  releaseDir: string;
  current: string;
  sharedDir: string;
  envFile: string;
  logDir: string;
  logFile: string;
  runDir: string;
  pidFile: string;
}

export interface PlanInput {
  module: AiModule;
  /** Local directory holding the source tree to ship. */
  sourceDir: string;
  releaseId: string;
  target: TargetFacts;
}

export interface DeploymentPlan {
  app: string;
  version: string;
  releaseId: string;
  target: TargetFacts;
  runtime: ResolvedRuntime;
  layout: AppLayout;
  steps: PlanStep[];
  /** What happens when verify fails, in words for the operator. */
  onFailure: string;
}
