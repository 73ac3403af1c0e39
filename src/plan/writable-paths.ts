import { AutomatosError } from '../core/index.js';
import { DEFAULT_WRITABLE_ROOTS } from '../policy/index.js';
import { normalizePath, PROTECTED_PATHS } from '../sandbox/index.js';
import type { TargetFacts } from './types.js';

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}(?:/|$)`);

const inside = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(`${dir === '/' ? '' : dir}/`);

function refuse(target: TargetFacts, path: string, why: string, details: Record<string, unknown>): never {
  throw new AutomatosError('AUT_PLAN_UNSUPPORTED', `writable_paths entry ${path} ${why}`, {
    details: { target: target.name, path, ...details },
  });
}

/**
 * A manifest's writable paths, checked against the target before any is bound read-write:
 * - written the way the launcher will bind them (`/var//spool` is `/var/spool` to the kernel);
 * - inside a writable root of the target's policy, the operator's word on where writes may go, and
 *   never inside the deploy root, whose `run/` holds what Automatos runs unconfined;
 * - clear of every protected path (the orchestrator's data dir among them);
 * - not nested in one another: bubblewrap follows links when it binds, so the outer one's commands
 *   could swap the inner one for a link to /etc before the next sandbox (the launcher refuses
 *   such a link too; the plan refuses the nesting so a deploy does not fail later).
 */
export function checkWritablePaths(paths: readonly string[], target: TargetFacts): void {
  const home = target.isRoot ? '/root' : `/home/${target.user}`;
  const expand = (p: string): string => (p.startsWith('~') ? `${home}${p.slice(1)}` : p);
  const root = normalizePath(target.root);
  const roots = (target.writableRoots ?? DEFAULT_WRITABLE_ROOTS).map((r) => normalizePath(expand(r)));
  for (const path of paths) {
    if (normalizePath(path) !== path) {
      refuse(target, path, `is not in normal form: write it as ${normalizePath(path)}`, {});
    }
    if (inside(path, root) || inside(root, path)) {
      refuse(target, path, `would open the deploy root ${root} of target ${target.name}`, { root });
    }
    if (!roots.some((r) => r !== root && inside(path, r))) {
      refuse(
        target,
        path,
        `is outside the writable roots of target ${target.name}'s policy (${roots.filter((r) => r !== root).join(', ')}); add a root with writable_roots in the policy file`,
        { roots },
      );
    }
    const guarded = [...PROTECTED_PATHS, ...(target.protectedPaths ?? [])].map(expand);
    const hit = guarded.find((p) => globToRegExp(p).test(path) || globToRegExp(path).test(p));
    if (hit !== undefined) {
      refuse(target, path, `would open ${hit} on target ${target.name}, which the sandbox keeps hidden`, {
        protected: hit,
      });
    }
    const outer = paths.find((other) => other !== path && inside(path, other));
    if (outer !== undefined) {
      refuse(target, path, `lies inside ${outer}, also writable: list only ${outer}`, { inside: outer });
    }
  }
}
