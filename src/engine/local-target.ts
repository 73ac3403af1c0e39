import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { PackageManager, TargetFacts } from '../plan/index.js';
import { AutomatosError } from '../core/index.js';
import type { Profile } from '../policy/index.js';
import type { SandboxMode } from '../sandbox/index.js';

export const LOCAL_TARGET = 'local' as const;

const PACKAGE_MANAGERS: ReadonlyArray<[PackageManager, string]> = [
  ['apt', 'apt-get'],
  ['dnf', 'dnf'],
  ['apk', 'apk'],
];

const onPath = (exists: (path: string) => boolean, binary: string): boolean =>
  ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'].some((dir) => exists(join(dir, binary)));

function findPackageManager(exists: (path: string) => boolean): PackageManager | null {
  for (const [pm, binary] of PACKAGE_MANAGERS) {
    if (onPath(exists, binary)) return pm;
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
    shell: onPath(exists, 'bash') ? 'bash' : 'sh',
    missingSandboxPackages: [
      ...(onPath(exists, 'bwrap') ? [] : ['bubblewrap']),
      ...(onPath(exists, 'bash') ? [] : ['bash']),
    ],
  };
}

/** The built-in target as `targets ls` and the API list it. */
export function localTargetView(
  env: NodeJS.ProcessEnv,
  profile: Profile = 'standard',
): {
  name: 'local';
  builtin: true;
  policy: Profile;
  sandbox: SandboxMode;
} {
  return { name: LOCAL_TARGET, builtin: true, policy: profile, sandbox: localSandboxMode(env) };
}

/** `local`'s facts with its sandbox: the mode the environment sets, the data dir masked. */
export function localFacts(dataDir: string, env: NodeJS.ProcessEnv): TargetFacts {
  return { ...localTargetFacts(), sandbox: localSandboxMode(env), protectedPaths: [dataDir] };
}

/**
 * How the policy judges commands on `local`: the policy file's profile (standard by default), its
 * default writable roots.
 */
export const localPolicyContext = (
  profile: Profile = 'standard',
): { name: string; profile: Profile; home: string } => ({
  name: LOCAL_TARGET,
  profile,
  home: homedir(),
});

export const LOCAL_SANDBOX_ENV = 'AUTOMATOS_LOCAL_SANDBOX';

/**
 * `local` confines user commands in bubblewrap like any target; `AUTOMATOS_LOCAL_SANDBOX=off` is
 * the operator's explicit escape hatch (a machine without user namespaces), shown wherever it matters.
 */
export function localSandboxMode(env: NodeJS.ProcessEnv): SandboxMode {
  const value = env[LOCAL_SANDBOX_ENV];
  if (value === undefined || value === '' || value === 'bwrap' || value === 'on') return 'bwrap';
  if (value === 'off') return 'off';
  throw new AutomatosError(
    'AUT_CONFIG_INVALID',
    `${LOCAL_SANDBOX_ENV} must be "on" or "off", not ${JSON.stringify(value.slice(0, 40))}`,
  );
}
