import { commandName, deny, lit, type CommandRule } from './context.js';

/** Hiding tracks: shell history and system logs. Writes to log files are caught by the write rules. */

const HISTORY_VARS = /^(HISTFILE|HISTSIZE|HISTFILESIZE|HISTCONTROL|HISTIGNORE|PROMPT_COMMAND)$/;

export const history: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const args = cmd.args.map(lit);
  if (name === 'history' && args.some((a) => a !== undefined && /^-[a-z]*[cdw]/.test(a))) {
    return deny('history_tamper', cmd, 'history -c/-d/-w clears or rewrites the shell history');
  }
  for (const { name: variable, value } of cmd.assignments) {
    if (!HISTORY_VARS.test(variable)) continue;
    const text = lit(value);
    // Allowed: raising the size. Everything else (dev/null, 0, ignorespace, clearing) hides commands.
    if (/^HIST(FILE)?SIZE$/.test(variable) && text !== undefined && /^[1-9]\d{2,}$/.test(text)) continue;
    return deny('history_tamper', cmd, `${variable}=${text ?? '…'} hides commands from the shell history`);
  }
  if (name === 'unset' && args.some((a) => a !== undefined && HISTORY_VARS.test(a))) {
    return deny('history_tamper', cmd, 'unsetting history variables stops the shell history');
  }
  if (name === 'set' && args.some((a, i) => a === '+o' && args[i + 1] === 'history')) {
    return deny('history_tamper', cmd, 'set +o history stops the shell history');
  }
  return undefined;
};

export const logs: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const args = cmd.args.map(lit);
  if (
    name === 'journalctl' &&
    args.some((a) => a !== undefined && /^--(vacuum-(time|size|files)|flush|relinquish-var)/.test(a))
  ) {
    return deny('log_tamper', cmd, 'journalctl deletes journal entries');
  }
  if (
    name === 'dmesg' &&
    args.some((a) => a === '-c' || a === '-C' || a === '--clear' || a === '--read-clear')
  ) {
    return deny('log_tamper', cmd, 'dmesg clears the kernel ring buffer');
  }
  if (name === 'utmpdump' && args.includes('-r'))
    return deny('log_tamper', cmd, 'utmpdump -r rewrites login records');
  return undefined;
};

export const tamperRules: CommandRule[] = [history, logs];
