import { commandName, deny, lit, operands, type CommandRule } from './context.js';

/** Firewall flushes and switching off kernel security (SELinux, AppArmor, auditd). */

const IPTABLES = /^(ip6?tables(-legacy|-nft)?|ebtables|arptables)$/;
const FIREWALL_UNITS = /^(firewalld|ufw|nftables|iptables|ip6tables|netfilter-persistent)(\.service)?$/;
const SECURITY_UNITS = /^(apparmor|auditd|selinux.*)(\.service)?$/;
const STOP_VERBS = new Set(['stop', 'disable', 'mask', 'kill']);

export const firewall: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const args = cmd.args.map(lit);
  if (IPTABLES.test(name)) {
    const flush = args.some(
      (a) => a !== undefined && /^(-[A-Za-z]*[FXZ][A-Za-z]*|--flush|--delete-chain|--zero)$/.test(a),
    );
    const policyAccept = args.some((a, i) => (a === '-P' || a === '--policy') && args[i + 2] === 'ACCEPT');
    if (flush || policyAccept)
      return deny('firewall_flush', cmd, `${name} flushes rules or opens a chain's policy`);
  }
  if (name === 'nft' && args.some((a) => a === 'flush' || a === 'delete' || a === '-f')) {
    return deny('firewall_flush', cmd, 'nft flushes or deletes firewall rules');
  }
  if (
    name === 'ufw' &&
    args.some((a) => a === 'disable' || a === 'reset' || (a === 'default' && args.includes('allow')))
  ) {
    return deny('firewall_flush', cmd, 'ufw disables or resets the firewall');
  }
  if (
    name === 'firewall-cmd' &&
    args.some(
      (a) =>
        a !== undefined &&
        /^--(set-default-zone=trusted|panic-off|complete-reload)$|--add-port=0-65535/.test(a),
    )
  ) {
    return deny('firewall_flush', cmd, 'firewall-cmd opens the firewall');
  }
  if (name === 'iptables-restore' || name === 'ip6tables-restore') {
    return deny('firewall_flush', cmd, `${name} replaces the whole rule set`);
  }
  if (name === 'systemctl' || name === 'service') {
    const ops = operands(cmd).map(lit);
    const stops = ops.some((op) => op !== undefined && STOP_VERBS.has(op));
    if (stops && ops.some((op) => op !== undefined && FIREWALL_UNITS.test(op)))
      return deny('firewall_flush', cmd, 'stops the firewall service');
    if (stops && ops.some((op) => op !== undefined && SECURITY_UNITS.test(op)))
      return deny('security_disable', cmd, 'stops a security service');
  }
  if (name === 'setenforce' && args.some((a) => a === '0' || a?.toLowerCase() === 'permissive')) {
    return deny('security_disable', cmd, 'setenforce turns SELinux enforcement off');
  }
  if (name === 'aa-teardown' || name === 'aa-disable' || name === 'aa-complain')
    return deny('security_disable', cmd, `${name} weakens AppArmor`);
  if (name === 'auditctl' && args.some((a, i) => a === '-D' || (a === '-e' && args[i + 1] === '0'))) {
    return deny('security_disable', cmd, 'auditctl deletes audit rules or disables auditing');
  }
  return undefined;
};

export const firewallRules: CommandRule[] = [firewall];
