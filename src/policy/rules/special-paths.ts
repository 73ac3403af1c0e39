import type { RuleId } from './catalog.js';

/**
 * Paths outside the writable roots that deserve a more specific rule than write_outside_roots, so an
 * operator reading the decision knows what was at stake.
 */
export function specialPathRule(path: string): { rule: RuleId; what: string } | undefined {
  if (/^\/etc\/sudoers(\.d(\/|$)|$|\.)/.test(path))
    return { rule: 'sudoers_write', what: 'sudo configuration' };
  if (/(^|\/)\.ssh(\/|$)/.test(path)) return { rule: 'ssh_keys_write', what: 'SSH keys or configuration' };
  if (/(^|\/)\.(bash|zsh|sh|ash|mysql|psql|python)_?history$|(^|\/)\.history$/.test(path)) {
    return { rule: 'history_tamper', what: 'shell history' };
  }
  if (/^\/var\/log(\/|$)|^\/var\/run\/utmp$|^\/run\/utmp$/.test(path))
    return { rule: 'log_tamper', what: 'system logs' };
  if (/^\/proc\/sysrq-trigger$|^\/proc\/sys\//.test(path))
    return { rule: 'power_kernel', what: 'kernel controls' };
  if (/^\/etc\/(cron|anacrontab)|^\/var\/spool\/(cron|at)/.test(path))
    return { rule: 'persistence', what: 'scheduled jobs' };
  return undefined;
}
