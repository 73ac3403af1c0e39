import { argv } from './command.js';
import { isReleaseId, releaseDirOf } from './release-id.js';
import type { AppLayout, PlannedCommand } from './types.js';

/** Prints the release ids on the target, one per line; `ls` sorts them, and ids sort by time. */
export function listReleasesCommand(layout: AppLayout): PlannedCommand {
  return {
    command: argv('ls', '-1', layout.releasesDir),
    purpose: 'list the releases on the target (oldest first)',
  };
}

/** The output of listReleasesCommand as release ids, oldest first; stray names are ignored. */
export function parseReleaseList(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(isReleaseId)
    .sort();
}

/**
 * Which releases to remove so that `keep` remain (the newest ones), never one in `protect` (the
 * release `current` points to, the one a rollback would use).
 */
export function releasesToPrune(
  releases: readonly string[],
  keep: number,
  protect: readonly (string | null | undefined)[] = [],
): string[] {
  const sorted = [...new Set(releases)].sort();
  const kept = new Set(sorted.slice(Math.max(0, sorted.length - Math.max(1, keep))));
  for (const id of protect) if (id) kept.add(id);
  return sorted.filter((id) => !kept.has(id));
}

/** `rm -rf` of exactly these release directories, each a literal path inside releasesDir. */
export function pruneCommands(layout: AppLayout, releaseIdsToRemove: readonly string[]): PlannedCommand[] {
  const ids = [...new Set(releaseIdsToRemove)];
  if (ids.length === 0) return [];
  const dirs = ids.map((id) => releaseDirOf(layout, id));
  return [
    {
      command: argv('rm', '-rf', '--', ...dirs),
      purpose: `remove old releases ${ids.join(', ')}`,
    },
  ];
}
