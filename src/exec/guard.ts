import type { Duplex } from 'node:stream';
import type { AuditRecord } from '../audit/index.js';
import { AutomatosError } from '../core/index.js';
import type { PolicyDecision } from '../policy/index.js';
import { redact, redactCredentials, type Redactor } from '../security/index.js';
import type { UserShell } from '../sandbox/index.js';
import type { Actor, GuardDeps, GuardedRunOptions, GuardedTarget } from './guard-types.js';
import { TargetRateLimiter } from './rate-limit.js';
import { confinedText, SandboxCheck, type SandboxVerdict } from './confine.js';
import { remoteUntarCommand } from './tar.js';
import type { RunResult, UploadOptions, UploadResult } from './types.js';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * Environment variables that change which program runs or what the shell executes: set from
 * outside, they would run code the policy never saw.
 */
const UNSAFE_ENV =
  /^(PATH|HOME|IFS|ENV|BASH_ENV|CDPATH|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|LD_[A-Z_]+|DYLD_[A-Z_]+|BASH_FUNC_.*|NODE_OPTIONS|PYTHONSTARTUP|PERL5OPT|RUBYOPT|GIT_(SSH|SSH_COMMAND|EXEC_PATH|EXTERNAL_DIFF|PAGER|EDITOR|ASKPASS|PROXY_COMMAND|CONFIG[A-Z_0-9]*))$/;

/**
 * The one choke point (DESIGN invariant 1): policy decision -> audit record -> per-target rate
 * limit -> run -> audit result. A denied command is recorded and never reaches the executor.
 */
export class GuardedExecutor {
  private readonly limiter: TargetRateLimiter;
  private readonly redactText: Redactor;
  private readonly sandboxes: SandboxCheck;

  constructor(private readonly deps: GuardDeps) {
    this.limiter = deps.limiter ?? new TargetRateLimiter();
    this.redactText = deps.redact ?? redactCredentials;
    this.sandboxes = new SandboxCheck((target, command, actor) =>
      this.run(target, command, { cwd: '/', timeoutMs: 30_000 }, actor),
    );
  }

  /** Can this target confine user commands, and in which shell; asked once while the answer is yes. */
  sandboxReport(target: GuardedTarget, actor: Actor, fresh = false): Promise<SandboxVerdict> {
    return this.sandboxes.check(target, actor, fresh);
  }

  async run(
    target: GuardedTarget,
    command: string,
    options: GuardedRunOptions,
    actor: Actor,
  ): Promise<RunResult> {
    const { secrets = [], sandbox, ...runOptions } = options;
    const shown = this.redactWith(secrets);
    const unsafe = Object.keys(options.env ?? {}).filter((name) => UNSAFE_ENV.test(name));
    if (unsafe.length > 0) {
      await this.deps.audit.append({
        ...this.base(actor, target, 'exec'),
        command: shown(command),
        decision: 'deny',
        rule: 'unsafe_env',
        risk: 90,
        details: { env: unsafe },
      });
      throw new AutomatosError(
        'AUT_POLICY_DENIED',
        `command denied on ${target.name}: environment variable ${unsafe.join(', ')} would change what runs`,
        { details: { target: target.name, rule: 'unsafe_env', env: unsafe } },
      );
    }
    let verdict: SandboxVerdict | undefined;
    let decided: PolicyDecision | undefined;
    if (sandbox !== undefined) {
      // A command the policy denies never reaches the host, not even for the sandbox probe: judged
      // as bash first, and again as POSIX sh when the host turns out to have no bash.
      decided = await this.judge(target, command, options.cwd, 'bash');
      if (decided.allowed) {
        verdict = await this.confinement(target, command, actor, shown);
        if (verdict.shell !== 'bash') decided = undefined;
      }
    }
    await this.review(target, command, options.cwd, actor, 'exec', shown, verdict, decided);
    await this.limiter.take(target.name);
    const text =
      sandbox === undefined || verdict === undefined
        ? command
        : confinedText(target, sandbox, verdict.shell, command);
    let result: RunResult;
    try {
      result = await target.executor.run(text, runOptions);
      if (verdict !== undefined) this.sandboxes.afterRun(target, result);
    } catch (error) {
      await this.deps.audit.append({
        ...this.base(actor, target, 'exec.error'),
        command: shown(command),
        details: { error: errorText(error, shown) },
      });
      throw error;
    }
    await this.deps.audit.append({
      ...this.base(actor, target, 'exec.result'),
      command: shown(command),
      result: {
        exitCode: result.exitCode,
        signal: result.signal,
        durationMs: Math.round(result.durationMs),
        stdoutBytes: result.stdoutBytes,
        stderrBytes: result.stderrBytes,
      },
      details: {
        timedOut: result.timedOut,
        cancelled: result.cancelled,
        ...(verdict === undefined ? {} : { sandbox: verdict.label }),
      },
    });
    return { ...result, stdoutTail: shown(result.stdoutTail), stderrTail: shown(result.stderrTail) };
  }

  /**
   * A user command needs a target that can confine it, or one whose policy turned the sandbox off.
   * A refusal is audited with the cause and nothing runs.
   */
  private async confinement(
    target: GuardedTarget,
    command: string,
    actor: Actor,
    shown: Redactor,
  ): Promise<SandboxVerdict> {
    const verdict = await this.sandboxes.check(target, actor);
    if (verdict.report.ready) return verdict;
    const problem = verdict.report.problem ?? 'the sandbox is not available';
    await this.deps.audit.append({
      ...this.base(actor, target, 'exec'),
      command: shown(command),
      decision: 'deny',
      rule: 'sandbox_unavailable',
      risk: 100,
      details: { problem },
    });
    throw new AutomatosError(
      'AUT_SANDBOX_UNAVAILABLE',
      `target ${target.name} cannot sandbox user commands: ${problem}. Fix the host, or set its policy to sandbox: off to run them unconfined`,
      { details: { target: target.name, problem } },
    );
  }

  /** Uploads are commands too: the remote untar is reviewed like any other command. */
  async upload(
    target: GuardedTarget,
    localDir: string,
    remoteDir: string,
    options: UploadOptions,
    actor: Actor,
  ): Promise<UploadResult> {
    const command = remoteUntarCommand(remoteDir);
    await this.review(target, command, remoteDir, actor, 'upload', this.redactText);
    await this.limiter.take(target.name);
    let result: UploadResult;
    try {
      result = await target.executor.upload(localDir, remoteDir, options);
    } catch (error) {
      await this.deps.audit.append({
        ...this.base(actor, target, 'upload.error'),
        command,
        details: { from: localDir, error: errorText(error, this.redactText) },
      });
      throw error;
    }
    await this.deps.audit.append({
      ...this.base(actor, target, 'upload.result'),
      command,
      result: { exitCode: 0, durationMs: Math.round(result.durationMs), stdoutBytes: 0, stderrBytes: 0 },
      details: { from: localDir, bytes: result.bytes },
    });
    return result;
  }

  /** TCP through the target (health checks) reaches only the target's own loopback. */
  async connect(target: GuardedTarget, host: string, port: number, actor: Actor): Promise<Duplex> {
    const allowed = LOOPBACK.test(host) && Number.isInteger(port) && port > 0 && port < 65_536;
    await this.deps.audit.append({
      ...this.base(actor, target, 'connect'),
      decision: allowed ? 'allow' : 'deny',
      rule: allowed ? 'loopback' : 'connect_non_loopback',
      details: { host, port },
    });
    if (!allowed) {
      throw new AutomatosError(
        'AUT_POLICY_DENIED',
        `connections through target ${target.name} may only reach its loopback (127.0.0.1, ::1), not ${host}:${port}`,
        { details: { rule: 'connect_non_loopback', host, port } },
      );
    }
    return target.executor.connect(host, port);
  }

  private async review(
    target: GuardedTarget,
    command: string,
    cwd: string,
    actor: Actor,
    action: string,
    shown: Redactor,
    verdict?: SandboxVerdict,
    decided?: PolicyDecision,
  ): Promise<PolicyDecision> {
    const decision = decided ?? (await this.judge(target, command, cwd, verdict?.shell));
    await this.deps.audit.append({
      ...this.base(actor, target, action),
      command: shown(command),
      decision: decision.decision,
      rule: decision.rule,
      risk: decision.risk,
      details: {
        cwd,
        profile: decision.profile,
        ...(decision.wouldDeny === undefined ? {} : { wouldDeny: decision.wouldDeny.rule }),
        ...(verdict === undefined ? {} : { sandbox: verdict.label, shell: verdict.shell }),
      },
    });
    if (!decision.allowed) {
      throw new AutomatosError(
        'AUT_POLICY_DENIED',
        // The reason quotes the command's words, which may hold a secret.
        `command denied on ${target.name} by policy rule ${decision.rule}: ${shown(decision.reason)}`,
        {
          details: {
            target: target.name,
            rule: decision.rule,
            reason: shown(decision.reason),
            risk: decision.risk,
            command: shown(decision.command || command),
          },
        },
      );
    }
    return decision;
  }

  private judge(
    target: GuardedTarget,
    command: string,
    cwd: string,
    shell?: UserShell,
  ): Promise<PolicyDecision> {
    return this.deps.policy.check(command, {
      cwd,
      home: target.home,
      profile: target.profile,
      ...(shell === undefined ? {} : { shell }),
      ...(target.writableRoots === undefined ? {} : { writableRoots: target.writableRoots }),
      ...(target.systemdUnits === undefined ? {} : { systemdUnits: target.systemdUnits }),
    });
  }

  private base(actor: Actor, target: GuardedTarget, action: string): AuditRecord {
    return {
      principal: actor.principal,
      source: actor.source,
      action,
      target: target.name,
      ...(actor.workflowId === undefined ? {} : { workflowId: actor.workflowId }),
    };
  }

  private redactWith(secrets: readonly string[]): Redactor {
    if (secrets.length === 0) return this.redactText;
    return (text: string) => this.redactText(redact(text, secrets));
  }
}

function errorText(error: unknown, shown: Redactor): string {
  if (error instanceof AutomatosError) return `${error.code}: ${shown(error.message)}`;
  return shown(error instanceof Error ? error.message : String(error));
}
