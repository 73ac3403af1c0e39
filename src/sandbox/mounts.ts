import { PROTECTED_PATHS } from './protected.js';
import type { SandboxSpec } from './types.js';

/** One mount of the sandbox: a path bound read-write, or hidden. */
export interface MountOp {
  kind: 'rw' | 'ro' | 'mask';
  /** Absolute, `~/…`, or with `*` in its last components (expanded on the host at run time). */
  path: string;
  /** With a glob: matches that stay visible. */
  keep: readonly string[];
}

// `~` counts as two components, the depth of a usual /home/USER.
const depth = (path: string): number =>
  path.split('/').filter((part) => part !== '').length + (path.startsWith('~') ? 1 : 0);

// At equal depth: bind, then re-bind read-only, then mask.
const KIND_ORDER = { rw: 0, ro: 1, mask: 2 } as const;

/**
 * The mounts in the order bubblewrap applies them. A deeper path is mounted later, so the more
 * specific rule wins either way: the app's release dir inside a masked data dir stays writable, and
 * a home's `.ssh` inside a writable root stays hidden. At equal depth the mask comes last.
 */
export function mountOps(spec: SandboxSpec): MountOp[] {
  const ops: MountOp[] = [
    ...spec.writable.map((path): MountOp => ({ kind: 'rw', path, keep: [] })),
    ...spec.readonly.map((path): MountOp => ({ kind: 'ro', path, keep: [] })),
    ...[...PROTECTED_PATHS, ...spec.masked].map((path): MountOp => ({
      kind: 'mask',
      path,
      keep: path.includes('*') ? spec.keep : [],
    })),
  ];
  const seen = new Set<string>();
  return ops
    .filter((op) => {
      const key = `${op.kind}:${op.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((op, index) => ({ op, index }))
    .sort(
      (a, b) =>
        depth(a.op.path) - depth(b.op.path) ||
        KIND_ORDER[a.op.kind] - KIND_ORDER[b.op.kind] ||
        a.index - b.index,
    )
    .map(({ op }) => op);
}
