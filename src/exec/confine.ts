import {
  launchWith,
  parseSandboxProbe,
  sandboxLauncher,
  sandboxProbeCommand,
  SANDBOX_UNAVAILABLE_EXIT,
  SANDBOX_UNAVAILABLE_MARK,
  unconfinedLauncher,
  type SandboxReport,
  type SandboxSpec,
  type UserShell,
} from '../sandbox/index.js';
import type { Actor, GuardedTarget } from './guard-types.js';
import type { RunResult } from './types.js';

/** How one target will run a user command: the probe's report, the shell, the audit label. */
export interface SandboxVerdict {
  report: SandboxReport;
  shell: UserShell;
  /** `bwrap`, or `unconfined` on a `sandbox: off` target: on every audit record of the command. */
  label: 'bwrap' | 'unconfined';
}

type ProbeRun = (target: GuardedTarget, command: string, actor: Actor) => Promise<RunResult>;

/**
 * Asks each target once whether it can sandbox (the probe runs through the guard like any command
 * Automatos built). A target that could not is asked again next time: a deploy's prepare step may
 * have installed bubblewrap since.
 */
export class SandboxCheck {
  private readonly known = new Map<string, Promise<SandboxVerdict>>();

  constructor(private readonly probe: ProbeRun) {}

  /** `fresh` asks the host again even when it could sandbox last time (`targets check`). */
  check(target: GuardedTarget, actor: Actor, fresh = false): Promise<SandboxVerdict> {
    const key = `${target.name}:${target.sandbox}`;
    if (fresh) this.known.delete(key);
    let verdict = this.known.get(key);
    if (verdict === undefined) {
      verdict = this.ask(target, actor);
      this.known.set(key, verdict);
      verdict.then(
        (v) => v.report.ready || this.known.delete(key),
        () => this.known.delete(key),
      );
    }
    return verdict;
  }

  /** A launcher that found no sandbox after all (bubblewrap removed since): ask again next time. */
  afterRun(target: GuardedTarget, result: RunResult): void {
    if (
      result.exitCode === SANDBOX_UNAVAILABLE_EXIT &&
      result.stderrTail.includes(SANDBOX_UNAVAILABLE_MARK)
    ) {
      this.known.delete(`${target.name}:${target.sandbox}`);
    }
  }

  private async ask(target: GuardedTarget, actor: Actor): Promise<SandboxVerdict> {
    const result = await this.probe(target, sandboxProbeCommand(), actor);
    const report = parseSandboxProbe(target.sandbox, result.stdoutTail);
    return {
      report,
      shell: report.bash ? 'bash' : 'sh',
      label: target.sandbox === 'off' ? 'unconfined' : 'bwrap',
    };
  }
}

/** The text the host receives for a user command: its launcher, with the command as "$1". */
export function confinedText(
  target: GuardedTarget,
  spec: SandboxSpec,
  shell: UserShell,
  command: string,
): string {
  if (target.sandbox === 'off') return launchWith(unconfinedLauncher(shell), command);
  const masked = [...spec.masked, ...(target.protectedPaths ?? [])];
  return launchWith(sandboxLauncher({ ...spec, masked }, shell), command);
}
