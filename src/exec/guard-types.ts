import type { AuditRecord, AuditSource } from '../audit/index.js';
import type { CheckContext, PolicyDecision, Profile } from '../policy/index.js';
import type { Redactor } from '../security/index.js';
import type { SandboxMode, SandboxSpec } from '../sandbox/index.js';
import type { TargetRateLimiter } from './rate-limit.js';
import type { Executor, RunOptions } from './types.js';

// What the guarded executor takes: the caller, the target, its dependencies and run options.

/** Who asks: recorded on every audit record. */
export interface Actor {
  principal: string;
  source: AuditSource;
  workflowId?: string;
}

/** A target as the guard needs it: where commands go and the policy they must pass. */
export interface GuardedTarget {
  name: string;
  executor: Executor;
  profile: Profile;
  /** Writable roots for the policy; undefined means the policy's defaults. */
  writableRoots?: string[];
  /** Home directory of the remote user, for `~`. */
  home: string;
  /** The systemd runtime is used on this target: its own unit files may be written. */
  systemdUnits?: boolean;
  /** How user commands are confined here; `off` only by the target policy's explicit choice. */
  sandbox: SandboxMode;
  /** Masked in every sandbox on this target, besides the built-in list: the orchestrator's data dir. */
  protectedPaths?: readonly string[];
}

export interface GuardDeps {
  policy: { check(command: string, ctx: CheckContext): Promise<PolicyDecision> };
  audit: { append(record: AuditRecord): Promise<unknown> };
  limiter?: TargetRateLimiter;
  redact?: Redactor;
}

export interface GuardedRunOptions extends RunOptions {
  /** Required: relative paths in the command are judged against it. */
  cwd: string;
  /** Secret values that may appear in the command or its output tails; redacted from the audit. */
  secrets?: readonly string[];
  /**
   * A command Automatos did not build itself (manifest commands, the app, tier-2 commands, exec):
   * it runs in bash inside this sandbox. Commands Automatos built leave it out.
   */
  sandbox?: SandboxSpec;
}
