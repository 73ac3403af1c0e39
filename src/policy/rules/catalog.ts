/**
 * Every rule id the engine can return, with its risk (0-100) and whether a custom `allow` in a policy
 * file may override it. Ids are stable: audit records, tests and operators' policy files name them.
 *
 * Non-overridable rules are the ones where no legitimate deploy needs the behaviour and where a
 * mistaken allow hands over the machine: hidden code (parse errors, dynamic names or code, excessive
 * nesting), fork bombs, reverse shells, remote or decoded code execution, disk and system destruction,
 * crypto miners. Everything else is a default an operator may loosen for one command pattern.
 */
export interface RuleInfo {
  risk: number;
  overridable: boolean;
  summary: string;
}

export const RULES = {
  parse_error: { risk: 60, overridable: false, summary: 'the command does not parse cleanly as shell' },
  nesting_too_deep: {
    risk: 80,
    overridable: false,
    summary: 'shell strings or wrappers nested beyond the limit',
  },
  too_complex: {
    risk: 90,
    overridable: false,
    summary: 'the syntax tree nests deeper than the policy walks (e.g. a thousand nested `$(`)',
  },
  control_bytes: {
    risk: 90,
    overridable: false,
    summary: 'a NUL or other control byte (other than tab and newline) in the command',
  },
  shell_differential: {
    risk: 85,
    overridable: false,
    summary:
      "a construct the executing shell reads differently from the parser: bash-only syntax under POSIX sh, or a $'…' string the parser ends in the wrong place",
  },
  dynamic_command_name: {
    risk: 70,
    overridable: false,
    summary: 'the command name comes from an expansion or glob',
  },
  dynamic_code: {
    risk: 75,
    overridable: false,
    summary: 'shell code built at run time (`bash -c "$X"`, `eval "$Y"`)',
  },
  fork_bomb: { risk: 95, overridable: false, summary: 'a function that spawns copies of itself' },
  reverse_shell: {
    risk: 100,
    overridable: false,
    summary: '/dev/tcp, nc -e, socat exec, socket+shell one-liners',
  },
  remote_code_exec: {
    risk: 95,
    overridable: false,
    summary: 'network download piped or substituted into an interpreter',
  },
  decode_exec: {
    risk: 90,
    overridable: false,
    summary: 'decoded data (base64 -d, xxd -r, …) run by an interpreter',
  },
  pipe_to_shell: {
    risk: 80,
    overridable: true,
    summary: 'anything piped into a shell that reads its script from stdin',
  },
  pipe_to_interpreter: {
    risk: 75,
    overridable: true,
    summary: 'a program piped into python/perl/ruby/node/php stdin',
  },
  disk_destroy: {
    risk: 100,
    overridable: false,
    summary: 'mkfs, wipefs, partitioning, writing raw block devices',
  },
  fs_destroy_system: {
    risk: 100,
    overridable: false,
    summary: 'deleting /, /*, ~, system directories or a writable root',
  },
  fs_destroy_outside_roots: {
    risk: 85,
    overridable: true,
    summary: 'deleting paths outside the writable roots',
  },
  fs_destroy_unresolved: {
    risk: 70,
    overridable: true,
    summary: 'recursive or forced deletion of a path known only at run time',
  },
  power_kernel: {
    risk: 90,
    overridable: true,
    summary: 'shutdown/reboot/halt, runlevel changes, kexec, kernel modules, sysctl -w',
  },
  account_change: {
    risk: 85,
    overridable: true,
    summary: 'creating, changing or deleting users, groups and passwords',
  },
  sudoers_write: { risk: 95, overridable: true, summary: 'visudo or writing /etc/sudoers*' },
  setuid_chmod: { risk: 85, overridable: true, summary: 'setting setuid/setgid bits or file capabilities' },
  world_writable_system: { risk: 80, overridable: true, summary: 'chmod 777 / o+w on system paths' },
  firewall_flush: { risk: 85, overridable: true, summary: 'flushing or disabling the firewall' },
  security_disable: { risk: 85, overridable: true, summary: 'turning off SELinux/AppArmor/auditd' },
  secret_read: {
    risk: 85,
    overridable: true,
    summary: 'reading /etc/shadow, private SSH keys, /root, configured paths',
  },
  ssh_keys_write: {
    risk: 90,
    overridable: true,
    summary: 'writing authorized_keys or other files under .ssh',
  },
  write_outside_roots: {
    risk: 70,
    overridable: true,
    summary: 'writing, moving or changing modes outside the writable roots',
  },
  unresolved_path: {
    risk: 50,
    overridable: true,
    summary: 'a write whose destination is known only at run time',
  },
  kill_all: { risk: 80, overridable: true, summary: 'kill -1, kill 1, killall, broad pkill' },
  history_tamper: { risk: 70, overridable: true, summary: 'clearing or disabling shell history' },
  log_tamper: {
    risk: 75,
    overridable: true,
    summary: 'deleting, truncating or vacuuming system logs and audit trails',
  },
  crypto_miner: { risk: 90, overridable: false, summary: 'known miner binaries and stratum pool URLs' },
  service_foreign_unit: {
    risk: 60,
    overridable: true,
    summary: 'changing the state of systemd units that are not automatos-*',
  },
  persistence: { risk: 75, overridable: true, summary: 'installing crontabs or at jobs' },
  mount_change: { risk: 80, overridable: true, summary: 'mount, umount, swapoff' },
  container_escape: {
    risk: 90,
    overridable: true,
    summary: 'privileged containers, host namespaces, host root or docker socket mounts',
  },
  exec_via_option: {
    risk: 80,
    overridable: true,
    summary:
      'a program told to run commands through an option (tar --to-command, git -c core.pager, sed e, vim -c, gdb -ex)',
  },
  alias_definition: {
    risk: 80,
    overridable: false,
    summary: 'defining aliases or enabling alias expansion: later command names no longer mean what they say',
  },
  inline_code: {
    risk: 60,
    overridable: true,
    summary:
      'allowed, but flagged: inline interpreter code (python -c, node -e, awk system(), make --eval, git alias !…)',
  },
  not_allowlisted: {
    risk: 40,
    overridable: true,
    summary: 'strict profile: the command is not on the allowlist',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** Custom deny rules from a policy file are reported as `custom:<id>`. */
export const CUSTOM_PREFIX = 'custom:';

export function isOverridable(rule: string): boolean {
  if (rule.startsWith(CUSTOM_PREFIX)) return false;
  const info = (RULES as Record<string, RuleInfo | undefined>)[rule];
  return info?.overridable ?? false;
}

export const NON_OVERRIDABLE: readonly RuleId[] = (Object.keys(RULES) as RuleId[]).filter(
  (id) => !RULES[id].overridable,
);
