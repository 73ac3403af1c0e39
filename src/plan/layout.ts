import { posix } from 'node:path';
import type { AppLayout } from './types.js';

/** Where an app lives on a target (DESIGN "Targets and hosts"); pure path arithmetic. */
export function appLayout(root: string, app: string, releaseId: string): AppLayout {
  const appDir = posix.join(root, app);
  const sharedDir = posix.join(appDir, 'shared');
  const runDir = posix.join(appDir, 'run');
  const logDir = posix.join(sharedDir, 'logs');
  const releasesDir = posix.join(appDir, 'releases');
  return {
    appDir,
    releasesDir,
    releaseDir: posix.join(releasesDir, releaseId),
    current: posix.join(appDir, 'current'),
    sharedDir,
    envFile: posix.join(sharedDir, '.env'),
    logDir,
    logFile: posix.join(logDir, `${app}.log`),
    runDir,
    pidFile: posix.join(runDir, `${app}.pid`),
  };
}

/**
 * Release ids sort by time and name the commit: 20261125T101500.123Z-1a2b3c4. Milliseconds keep two
 * deploys of the same commit in one second from sharing (and overwriting) a release directory.
 */
export function releaseIdFor(now: Date, commit: string | null): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return commit === null ? stamp : `${stamp}-${commit.slice(0, 7)}`;
}
