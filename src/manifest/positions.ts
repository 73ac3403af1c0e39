/**
 * Maps a validation path (['health_check', 'interval']) back to the YAML node it came from, so every
 * issue can carry a line and column. Validation runs on plain JS values, which have no positions;
 * the parsed Document keeps them.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

/** Which node to point at: the value (type errors), its key (unknown keys) or the parent (missing). */
export type Target = 'value' | 'key' | 'parent';

export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  positionOf(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** The position of the node at `path`, falling back to the closest ancestor that exists. */
  locate(path: readonly PropertyKey[], target: Target = 'value'): Position {
    const steps = target === 'parent' ? path.slice(0, -1) : path;
    let node: unknown = this.doc.contents;
    let keyNode: unknown = null;
    for (const step of steps) {
      const pair = this.pairFor(node, step);
      if (pair === null) break;
      keyNode = pair.key;
      // `port:` with nothing after it has no value node; point at the key instead.
      node = pair.value ?? pair.key;
    }
    const chosen = target === 'key' && keyNode !== null ? keyNode : node;
    return this.positionOf(startOf(chosen));
  }

  /** Source text of a scalar at `path` as written (`1.0`, not `1`), for "write it in quotes" hints. */
  sourceOf(path: readonly PropertyKey[]): string | null {
    let node: unknown = this.doc.contents;
    for (const step of path) {
      const pair = this.pairFor(node, step);
      if (pair === null) return null;
      node = pair.value;
    }
    node = this.resolve(node);
    if (!isScalar(node) || node.range === undefined || node.range === null) return null;
    const src = (node as { source?: unknown }).source;
    return typeof src === 'string' ? src : null;
  }

  private resolve(node: unknown): unknown {
    // Aliases point at their anchor; follow at most a few hops (anchors cannot form cycles here).
    let current = node;
    for (let hop = 0; hop < 8 && isAlias(current); hop++) current = current.resolve(this.doc);
    return current;
  }

  /** The pair (for maps) or a pseudo-pair (for sequences) holding `step` in `container`. */
  private pairFor(container: unknown, step: PropertyKey): { key: unknown; value: unknown } | null {
    const node = this.resolve(container);
    if (isSeq(node) && typeof step === 'number') {
      const item: unknown = node.items[step];
      return item === undefined ? null : { key: item, value: item };
    }
    if (!isMap(node)) return null;
    const direct = node.items.find((pair) => keyText(pair) === String(step));
    if (direct !== undefined) return direct;
    // A key brought in by a merge (`<<: *defaults`) lives in the anchored mapping.
    for (const pair of node.items) {
      if (keyText(pair) !== '<<') continue;
      const sources = isSeq(this.resolve(pair.value))
        ? (this.resolve(pair.value) as { items: unknown[] }).items
        : [pair.value];
      for (const source of sources) {
        const found = this.pairFor(source, step);
        if (found !== null) return found;
      }
    }
    return null;
  }
}

function keyText(pair: Pair): string | null {
  const key: unknown = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : null;
}

function startOf(node: unknown): number {
  if (isPair(node)) return startOf(node.key);
  const range = (node as Node | null)?.range;
  return range ? range[0] : 0;
}
