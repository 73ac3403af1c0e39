import { commandName, deny, lit, operands, type CommandRule } from './context.js';

/** Power state, runlevels, kernel code and kernel parameters. */

const POWER = new Set([
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'kexec',
  'insmod',
  'rmmod',
  'modprobe',
  'pm-suspend',
  'pm-hibernate',
]);
const SYSTEMCTL_POWER = new Set([
  'poweroff',
  'reboot',
  'halt',
  'kexec',
  'suspend',
  'hibernate',
  'hybrid-sleep',
  'suspend-then-hibernate',
  'rescue',
  'emergency',
  'default',
  'isolate',
  'soft-reboot',
  'switch-root',
]);

export const power: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if (POWER.has(name))
    return deny('power_kernel', cmd, `${name} changes the machine's power state or kernel`);
  const ops = operands(cmd).map(lit);
  if ((name === 'init' || name === 'telinit') && ops.length > 0) {
    return deny('power_kernel', cmd, `${name} ${ops.join(' ')} changes the runlevel`);
  }
  if (name === 'systemctl' && ops.some((op) => op !== undefined && SYSTEMCTL_POWER.has(op))) {
    return deny('power_kernel', cmd, 'systemctl changes the power state or system target');
  }
  if (name === 'sysctl' && cmd.args.some((a) => /^(-w|--write|-p|--load|--system)$|=/.test(lit(a) ?? '-'))) {
    return deny('power_kernel', cmd, 'sysctl changes kernel parameters');
  }
  return undefined;
};

export const powerRules: CommandRule[] = [power];
