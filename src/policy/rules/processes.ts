import { parseOptions } from '../options.js';
import { commandName, deny, lit, type CommandRule } from './context.js';

/** Killing everything: `kill -1`, `kill 1`, killall, pkill without a narrow pattern. */

export const killAll: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const args = cmd.args.map(lit);
  if (name === 'kill') {
    let i = 0;
    // The signal: `-9`, `-KILL`, `-s KILL`, `-n 9`; everything after it is a pid.
    if (args[0] === '-s' || args[0] === '-n') i = 2;
    else if (args[0] !== undefined && args[0] !== '--' && /^-[A-Za-z0-9+]+$/.test(args[0]) && args.length > 1)
      i = 1;
    const pids = args.slice(i).filter((a) => a !== '--');
    if (pids.some((p) => p === '-1' || p === '1'))
      return deny('kill_all', cmd, 'kill targets every process or init');
    return undefined;
  }
  if (name === 'killall5') return deny('kill_all', cmd, 'killall5 signals every process');
  if (name === 'killall') {
    if (args.every((a) => a === '-l' || a === '--list' || a === '-V')) return undefined;
    return deny('kill_all', cmd, 'killall kills every process with a name, on the whole host');
  }
  if (name === 'pkill') {
    // A leading signal (`-9`, `-HUP`) would otherwise read as a cluster of options.
    const rest = /^-([A-Z]+[0-9]*|[0-9]+)$/.test(args[0] ?? '') ? cmd.args.slice(1) : cmd.args;
    const parsed = parseOptions(rest, {
      short: 'ugGPstUF',
      long: [
        'signal',
        'euid',
        'uid',
        'group',
        'parent',
        'session',
        'terminal',
        'pidfile',
        'pgroup',
        'ns',
        'nslist',
      ],
    });
    const pattern = parsed.operands[0];
    const text = pattern ? lit(pattern) : '';
    if (pattern && text === undefined) return undefined; // dynamic pattern: cannot judge breadth, allowed
    if (!text || text.length < 3 || /^[.^$*+?()[\]|\\]*$/.test(text)) {
      return deny('kill_all', cmd, `pkill pattern ${JSON.stringify(text ?? '')} is too broad`);
    }
  }
  return undefined;
};

export const processRules: CommandRule[] = [killAll];
