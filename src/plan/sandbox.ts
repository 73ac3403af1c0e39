import { posix } from 'node:path';
import type { AiModule } from '../manifest/index.js';
import { AutomatosError } from '../core/index.js';
import { appSharedGlob, normalizePath, PROTECTED_PATHS, type SandboxSpec } from '../sandbox/index.js';
import type { AppLayout, TargetFacts } from './types.js';

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}(?:/|$)`);

/** A manifest's writable path must not open a protected one, nor the deploy root of other apps. */
function refuseProtected(path: string, target: TargetFacts): void {
  const home = target.isRoot ? '/root' : `/home/${target.user}`;
  const guarded = [...PROTECTED_PATHS, ...(target.protectedPaths ?? []), target.root].map((p) =>
    p.startsWith('~') ? `${home}${p.slice(1)}` : p,
  );
  const hit = guarded.find(
    (protectedPath) => globToRegExp(protectedPath).test(path) || globToRegExp(path).test(protectedPath),
  );
  if (hit === undefined) return;
  throw new AutomatosError(
    'AUT_PLAN_UNSUPPORTED',
    `writable_paths entry ${path} would open ${hit} on target ${target.name}, which the sandbox keeps hidden or read-only; choose a path outside it`,
    { details: { target: target.name, path, protected: hit } },
  );
}

/**
 * bubblewrap follows symbolic links when it binds: a writable path inside another one could be
 * replaced by a link (to /etc) by the commands that write the outer one, and the next sandbox
 * would bind the link's target read-write. The launcher refuses such a link; the plan refuses the
 * nesting itself, so a deploy does not fail later.
 */
function refuseNested(paths: readonly string[], target: TargetFacts): void {
  const normal = paths.map(normalizePath);
  for (const inner of normal) {
    const outer = normal.find(
      (other) => other !== inner && inner.startsWith(`${other === '/' ? '' : other}/`),
    );
    if (outer === undefined) continue;
    throw new AutomatosError(
      'AUT_PLAN_UNSUPPORTED',
      `writable_paths entry ${inner} lies inside ${outer}, also writable: list only ${outer}`,
      { details: { target: target.name, path: inner, inside: outer } },
    );
  }
}

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
  for (const path of module.writable_paths) refuseProtected(path, target);
  refuseNested(module.writable_paths, target);
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
    masked: roots.map((root) => `${appSharedGlob(root)}/.env`),
    keep: [],
    dieWithParent: true,
    home: '/tmp/home',
  };
}
