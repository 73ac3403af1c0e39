import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { PackageManager, TargetFacts } from '../plan/index.js';
import type { Profile } from '../policy/index.js';

export const LOCAL_TARGET = 'local';

const PACKAGE_MANAGERS: ReadonlyArray<[PackageManager, string]> = [
  ['apt', 'apt-get'],
  ['dnf', 'dnf'],
  ['apk', 'apk'],
];

function findPackageManager(exists: (path: string) => boolean): PackageManager | null {
  for (const [pm, binary] of PACKAGE_MANAGERS) {
    if (['/usr/bin', '/bin', '/usr/sbin', '/sbin'].some((dir) => exists(join(dir, binary)))) return pm;
  }
  return null;
}

/**
 * Facts about the built-in `local` target, read from this machine's filesystem without running a
 * command (the guarded executor is the only way to run one).
 */
export function localTargetFacts(exists: (path: string) => boolean = existsSync): TargetFacts {
  const uid = process.getuid?.() ?? -1;
  const isRoot = uid === 0;
  return {
    name: LOCAL_TARGET,
    root: isRoot ? '/opt/automatos/apps' : join(homedir(), '.automatos', 'apps'),
    user: userInfo().username,
    isRoot,
    // systemd creates this directory at boot; its presence is how sd_booted(3) tells.
    hasSystemd: exists('/run/systemd/system'),
    packageManager: findPackageManager(exists),
    reach: 'local',
  };
}

/** How the policy judges commands on `local`: the standard profile, its default writable roots. */
export const localPolicyContext = (): { name: string; profile: Profile; home: string } => ({
  name: LOCAL_TARGET,
  profile: 'standard',
  home: homedir(),
});
