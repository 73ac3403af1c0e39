import { commandName, deny, lit, operands, show, type CommandRule } from './context.js';

/** Miners, mounts, scheduled jobs, foreign systemd units, container escapes. */

const MINERS =
  /^(xmrig|xmr-stak.*|minerd|cpuminer.*|ethminer|cgminer|bfgminer|t-rex|nbminer|lolminer|phoenixminer|nanominer|teamredminer|gminer|srbminer.*|ccminer|nheqminer|kdevtmpfsi|kinsing)$/i;

export const miner: CommandRule = (cmd) => {
  if (MINERS.test(commandName(cmd)))
    return deny('crypto_miner', cmd, `${commandName(cmd)} is a cryptocurrency miner`);
  const all = [...cmd.args, ...cmd.stdin.map((s) => ({ literal: s.text }))];
  if (all.some((w) => /stratum\d?\+(tcp|ssl|tls):\/\//i.test(show(w)))) {
    return deny('crypto_miner', cmd, 'connects to a mining pool (stratum URL)');
  }
  return undefined;
};

export const mounts: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if (
    (name === 'mount' && cmd.args.some((a) => !/^-[lv]$/.test(lit(a) ?? ''))) ||
    name === 'umount' ||
    name === 'swapoff'
  ) {
    return deny('mount_change', cmd, `${name} changes mounted filesystems`);
  }
  return undefined;
};

export const scheduling: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if (name === 'crontab' && !cmd.args.some((a) => lit(a) === '-l')) {
    return deny('persistence', cmd, 'crontab installs, edits or removes scheduled jobs');
  }
  if (name === 'at' || name === 'batch') {
    if (cmd.args.some((a) => lit(a) === '-l' || lit(a) === '-c')) return undefined;
    return deny('persistence', cmd, `${name} schedules a job outside the deployment`);
  }
  return undefined;
};

const UNIT_VERBS = new Set([
  'start',
  'stop',
  'restart',
  'reload',
  'try-restart',
  'reload-or-restart',
  'try-reload-or-restart',
  'enable',
  'disable',
  'reenable',
  'mask',
  'unmask',
  'kill',
  'link',
  'edit',
  'set-property',
  'revert',
  'preset',
  'clean',
  'freeze',
]);
const OWN_UNIT = /^automatos-[A-Za-z0-9@._-]+$/;

export const foreignUnits: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const ops = operands(cmd);
  if (name === 'systemctl') {
    const verb = lit(ops[0]);
    if (verb === undefined || !UNIT_VERBS.has(verb)) return undefined;
    const foreign = ops.slice(1).find((unit) => !OWN_UNIT.test(lit(unit) ?? ''));
    if (foreign)
      return deny(
        'service_foreign_unit',
        cmd,
        `systemctl ${verb} ${show(foreign)}: only automatos-* units are managed`,
      );
  }
  if (name === 'service' && ops.length >= 2) {
    const unit = lit(ops[0]);
    const action = lit(ops[1]);
    if (action && /^(start|stop|restart|reload|force-reload)$/.test(action) && !OWN_UNIT.test(unit ?? '')) {
      return deny(
        'service_foreign_unit',
        cmd,
        `service ${unit ?? '…'} ${action}: only automatos-* services are managed`,
      );
    }
  }
  return undefined;
};

const HOST_MOUNT =
  /^(\/|\/etc|\/root|\/proc|\/sys|\/dev|\/boot|\/var\/run\/docker\.sock|\/run\/docker\.sock|\/var\/lib\/docker|\/home)(:|$)/;

export const containers: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if (name !== 'docker' && name !== 'podman' && name !== 'nerdctl') return undefined;
  const args = cmd.args.map(lit);
  if (!args.some((a) => a === 'run' || a === 'create' || a === 'exec')) return undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const next = args[i + 1] ?? '';
    if (
      arg === '--privileged' ||
      (/^--(pid|ipc|userns|uts|cgroupns)(=|$)/.test(arg) && (arg.endsWith('=host') || next === 'host'))
    ) {
      return deny('container_escape', cmd, `${arg} gives the container the host's privileges`);
    }
    if (
      /^--cap-add(=|$)/.test(arg) &&
      /(^|=)(ALL|SYS_ADMIN|SYS_MODULE|SYS_PTRACE|SYS_RAWIO|DAC_READ_SEARCH)$/i.test(
        arg.includes('=') ? arg : next,
      )
    ) {
      return deny('container_escape', cmd, 'adds a capability that escapes the container');
    }
    if (/^--security-opt(=|$)/.test(arg) && /unconfined/.test(arg + next))
      return deny('container_escape', cmd, 'disables container confinement');
    const volume = arg === '-v' || arg === '--volume' ? next : /^(-v|--volume=)(.+)$/.exec(arg)?.[2];
    if (volume && HOST_MOUNT.test(volume))
      return deny(
        'container_escape',
        cmd,
        `mounts the host path ${volume.split(':')[0] ?? ''} into the container`,
      );
    const mount = arg === '--mount' ? next : /^--mount=(.+)$/.exec(arg)?.[1];
    const source = mount && /(?:^|,)(?:source|src)=([^,]+)/.exec(mount)?.[1];
    if (source && HOST_MOUNT.test(source))
      return deny('container_escape', cmd, `mounts the host path ${source} into the container`);
  }
  return undefined;
};

export const miscRules: CommandRule[] = [miner, mounts, scheduling, foreignUnits, containers];
