import { posix } from 'node:path';
import type { AiModule } from '../manifest/index.js';
import { appSharedGlob, type SandboxSpec } from '../sandbox/index.js';
import { checkWritablePaths } from './writable-paths.js';
import type { AppLayout, TargetFacts } from './types.js';

/**
 * The boundary of one app's commands: its release dir, its shared/ dir and the manifest's
 * writable_paths are writable; every other app's shared/ (env files, logs) and the target's
 * protected paths (the orchestrator's data dir) are masked.
 */
export function appSandbox(
  module: AiModule,
  layout: AppLayout,
  target: TargetFacts,
  options: { dieWithParent: boolean } = { dieWithParent: true },
): SandboxSpec {
  checkWritablePaths(module.writable_paths, target);
  return {
    writable: [layout.releaseDir, layout.sharedDir, ...module.writable_paths],
    // The supervisor, systemd and the env-file writer run unconfined and open these: a confined
    // command must not turn them into symlinks to files outside its roots.
    readonly: [layout.envFile, layout.logDir],
    masked: [appSharedGlob(target.root), ...(target.protectedPaths ?? [])],
    keep: [layout.sharedDir],
    home: posix.join(layout.sharedDir, 'home'),
    dieWithParent: options.dieWithParent,
  };
}

/** How a plan describes a confined command, for `automatos plan` and the API. */
export function describeSandbox(spec: SandboxSpec, target: TargetFacts): string {
  if ((target.sandbox ?? 'bwrap') === 'off') {
    return `UNCONFINED: target ${target.name}'s policy says sandbox: off`;
  }
  return `bwrap, ${target.shell ?? 'bash'}; writable: ${spec.writable.join(', ')}, a private /tmp`;
}

/**
 * The boundary of `exec`: nothing writable but a private /tmp (an operator's command inspects; it
 * must not rewrite an app, its pid files or its supervisor), and the env files of every app under
 * the given deploy roots masked.
 */
const PRIVATE_DIRS = new Set(['/tmp', '/var/tmp']);

export function execSandbox(roots: readonly string[]): SandboxSpec {
  return {
    writable: [],
    // Deploy roots stay visible (read-only) even where they sit under the private /tmp.
    readonly: roots.filter((root) => !PRIVATE_DIRS.has(root.replace(/\/+$/, ''))),
    // Every app's env file and home (package managers leave tokens there: .npmrc, .netrc).
    masked: roots.flatMap((root) => [`${appSharedGlob(root)}/.env`, `${appSharedGlob(root)}/home`]),
    keep: [],
    dieWithParent: true,
    home: '/tmp/home',
  };
}
