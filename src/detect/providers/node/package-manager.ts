import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import type { Evidence } from '../../types.js';

export type NodePackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface PackageManagerInfo {
  pm: NodePackageManager;
  version: string | null;
  lockfile: string | null;
  /** Yarn 2+ ("berry") spells frozen installs differently. */
  berry: boolean;
  evidence: Evidence[];
}

const LOCKFILES: readonly [string, NodePackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** `packageManager` (corepack) is an explicit declaration, so it beats whichever lockfile is present. */
export function detectPackageManager(view: RepoView, declared: string | null): PackageManagerInfo {
  const lock = LOCKFILES.find(([file]) => view.exists(file));
  const ev: Evidence[] = [];
  const field = declared?.match(/^(npm|pnpm|yarn|bun)@(\d[\w.+-]*)/);
  let pm: NodePackageManager = 'npm';
  let version: string | null = null;
  if (field?.[1] && field[2]) {
    pm = field[1] as NodePackageManager;
    version = field[2];
    ev.push(evidence('package.json', `packageManager declares ${pm}@${version}`, 0.5));
  } else if (lock) {
    pm = lock[1];
    ev.push(evidence(lock[0], `lockfile says the package manager is ${pm}`, 1));
  }
  const lockfile = lock && lock[1] === pm ? lock[0] : null;
  if (lockfile && field) ev.push(evidence(lockfile, `${pm} lockfile present`, 1));
  const berry =
    pm === 'yarn' && ((version !== null && !version.startsWith('1.')) || view.exists('.yarnrc.yml'));
  return { pm, version, lockfile, berry, evidence: ev };
}

/** Frozen installs when a lockfile exists: a deploy must not silently resolve new versions. */
export function installCommand(info: PackageManagerInfo): string {
  const locked = info.lockfile !== null;
  switch (info.pm) {
    case 'pnpm':
      return locked ? 'pnpm install --frozen-lockfile' : 'pnpm install';
    case 'yarn':
      if (!locked) return 'yarn install';
      return info.berry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile';
    case 'bun':
      return locked ? 'bun install --frozen-lockfile' : 'bun install';
    case 'npm':
      return locked ? 'npm ci' : 'npm install';
  }
}

/** `bun test` would run bun's own test runner, not the script, hence `bun run`. */
export function runScript(pm: NodePackageManager, script: string): string {
  if (pm === 'bun') return `bun run ${script}`;
  if (script === 'start' || script === 'test') return `${pm} ${script}`;
  return pm === 'yarn' ? `yarn ${script}` : `${pm} run ${script}`;
}
