import type { Finding, SimpleCommand } from '../types.js';
import { accountRules } from './accounts.js';
import type { CommandRule, RuleContext } from './context.js';
import { destroyRules } from './destroy.js';
import { diskRules } from './disk.js';
import { firewallRules } from './firewall.js';
import { downloadThenRun } from './download-exec.js';
import { execOptionRules } from './exec-options.js';
import { forkBombs } from './fork-bomb.js';
import { inlineCodeFlag } from './inline-code.js';
import { miscRules } from './misc.js';
import { powerRules } from './power.js';
import { processRules } from './processes.js';
import { remoteExecRules } from './remote-exec.js';
import { reverseShellRules } from './reverse-shell.js';
import { secretRules } from './secrets.js';
import { tamperRules } from './tamper.js';
import { writeRules } from './writes.js';

/** Order matters only for ties in risk: the more specific family comes first. */
const COMMAND_RULES: CommandRule[] = [
  ...reverseShellRules,
  ...remoteExecRules,
  ...diskRules,
  ...destroyRules,
  ...powerRules,
  ...accountRules,
  ...firewallRules,
  ...secretRules,
  ...processRules,
  ...tamperRules,
  ...miscRules,
  ...execOptionRules,
  ...writeRules,
];

/** Every denial the standard rules find in one simple command. */
export function evaluateCommand(cmd: SimpleCommand, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const rule of COMMAND_RULES) {
    const finding = rule(cmd, ctx);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Flags: allowed findings that carry a risk into plan reviews (inline interpreter code). */
export function evaluateFlags(cmd: SimpleCommand): Finding[] {
  const flag = inlineCodeFlag(cmd);
  return flag ? [flag] : [];
}

/** Rules judged over the whole list of commands (definitions and uses are different commands). */
export function evaluateAll(commands: readonly SimpleCommand[], ctx: RuleContext): Finding[] {
  return [...forkBombs(commands), ...downloadThenRun(commands, ctx)];
}

export { RULES, NON_OVERRIDABLE, isOverridable, CUSTOM_PREFIX } from './catalog.js';
export type { RuleId, RuleInfo } from './catalog.js';
export type { RuleContext } from './context.js';
export { DEFAULT_READ_DENIED } from './secrets.js';
