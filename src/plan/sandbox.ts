import type { AiModule } from '../manifest/index.js';
import { appSharedGlob, type SandboxSpec } from '../sandbox/index.js';
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
  return {
    writable: [layout.releaseDir, layout.sharedDir, ...module.writable_paths],
    // The supervisor, systemd and the env-file writer run unconfined and open these: a confined
    // command must not turn them into symlinks to files outside its roots.
    readonly: [layout.envFile, layout.logDir],
    masked: [appSharedGlob(target.root), ...(target.protectedPaths ?? [])],
    keep: [layout.sharedDir],
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
export function execSandbox(roots: readonly string[]): SandboxSpec {
  return {
    writable: [],
    readonly: [],
    masked: roots.map((root) => `${appSharedGlob(root)}/.env`),
    keep: [],
    dieWithParent: true,
  };
}
