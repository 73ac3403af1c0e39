import { PROTECTED_PATHS } from './protected.js';
import type { SandboxSpec } from './types.js';

/**
 * The same boundary for the systemd runtime, from systemd itself: the filesystem read-only but
 * the release and shared dirs, a private /tmp and /dev, homes and protected paths inaccessible,
 * no capabilities, no new privileges. `-` makes a missing path no error. Globs and `~` have no
 * systemd equivalent: homes are hidden whole instead.
 */
export function systemdHardening(
  spec: Pick<SandboxSpec, 'writable' | 'readonly' | 'masked'>,
  appsRoot: string,
): string[] {
  const { writable, masked } = spec;
  const hidden = [...PROTECTED_PATHS, ...masked].filter(
    (path) => !path.includes('*') && !path.startsWith('~'),
  );
  return [
    'ProtectSystem=strict',
    `ReadWritePaths=${writable.map((path) => `-${path}`).join(' ')}`,
    // Homes are an empty tmpfs: a deploy root under a home comes back through these binds.
    `BindPaths=${writable.map((path) => `-${path}`).join(' ')}`,
    // Every app of the deploy root hidden (their env files and logs); this app's dirs come back
    // through BindPaths, which systemd mounts after, being deeper.
    `TemporaryFileSystem=${appsRoot}:ro`,
    `ReadOnlyPaths=${spec.readonly.map((path) => `-${path}`).join(' ')}`,
    // Daemon sockets (Docker, D-Bus, databases) out of reach, as in the bubblewrap sandbox; the
    // resolver's files come back for DNS.
    'TemporaryFileSystem=/run:ro',
    'BindReadOnlyPaths=-/run/systemd/resolve',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectHome=tmpfs',
    `InaccessiblePaths=${hidden.map((path) => `-${path}`).join(' ')}`,
    'NoNewPrivileges=yes',
    'CapabilityBoundingSet=',
    'AmbientCapabilities=',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
  ];
}
