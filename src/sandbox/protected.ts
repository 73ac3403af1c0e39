/**
 * Paths masked inside every sandbox, whatever the spec says: credentials of the host's accounts and
 * their backups, TLS and VPN private keys, container engines' state, cloud-init user data, the root
 * account's home and every home's SSH keys. A confined command may keep uid 0 (without any
 * capability), so file modes alone do not hide these. A mask is an empty read-only
 * directory, or /dev/null for a file. `~` is the target user's home at run time.
 */
export const PROTECTED_PATHS: readonly string[] = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/ssh/ssh_host_*_key',
  '/etc/ssl/private',
  '/etc/pki/tls/private',
  '/etc/letsencrypt',
  '/etc/wireguard',
  // shadow.bak and friends; container engines' state holds the env of every container.
  '/var/backups',
  '/var/lib/docker',
  '/var/lib/containers',
  '/var/lib/cloud',
  // Certificates and ACME account keys of the target's proxy.
  '/var/lib/caddy',
  '/var/lib/acme',
  '/root',
  // Every home whole: SSH keys, but also cloud credentials, .netrc, .git-credentials, .npmrc…
  '/home',
  '/home/*/.ssh',
  '~/.ssh',
  // An Automatos data dir of the target's own user (master key, database, keys).
  '~/.automatos',
];

/** Where the other apps of a deploy root keep their env files and logs. */
export const appSharedGlob = (root: string): string => `${root.replace(/\/+$/, '')}/*/shared`;

/**
 * Runtime dirs holding the sockets of the host's daemons (Docker, containerd, D-Bus, systemd,
 * databases): emptied inside the bubblewrap sandbox, whose commands keep the deploy user's uid.
 */
export const RUNTIME_DIRS: readonly string[] = ['/run', '/var/run'];
