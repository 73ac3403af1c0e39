import type { Node } from 'web-tree-sitter';
import type { VarLookup, VarValue } from './words.js';

/**
 * Shell variables set earlier in the same command string, so `f=/etc/shadow; cat "$f"` is judged
 * as reading /etc/shadow. Only what is certain becomes a single value: an assignment that may not
 * run (a branch, the right of `&&`, a loop body) adds its value to the old one's alternatives, and
 * anything the walk cannot follow (`read`, a function call, `source`, `eval`, a loop's next round)
 * forgets the variable. A forgotten or never-set variable is unknown, as it was before.
 */
export class ShellVars {
  private map = new Map<string, VarValue>();

  readonly lookup: VarLookup = (name) => this.map.get(name);

  snapshot(): Map<string, VarValue> {
    return new Map(this.map);
  }

  restore(saved: Map<string, VarValue>): void {
    this.map = saved;
  }

  /** `name=value`; `value` undefined when it is known only at run time. */
  assign(name: string, value: string | undefined, conditional: boolean): void {
    if (value === undefined) {
      this.map.delete(name);
      return;
    }
    const old = this.map.get(name);
    if (!conditional) this.map.set(name, { values: [value], unknown: false });
    else if (old) this.map.set(name, { values: [...new Set([...old.values, value])], unknown: old.unknown });
    else this.map.set(name, { values: [value], unknown: true });
  }

  /** A loop variable takes each of these values in turn. */
  assignEach(name: string, values: readonly string[]): void {
    this.map.set(name, { values: [...new Set(values)], unknown: false });
  }

  forget(names: Iterable<string>): void {
    for (const name of names) this.map.delete(name);
  }

  forgetAll(): void {
    this.map = new Map();
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every name a piece of code might assign: assignment targets, loop variables, and any bare word
 * that could be a name given to `read`, `mapfile`, `printf -v`…. Over-counting only forgets more.
 */
export function assignedNames(root: Node): Set<string> {
  const names = new Set<string>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (node.type === 'variable_name' || (node.type === 'word' && IDENTIFIER.test(node.text)))
      names.add(node.text);
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return names;
}

/** Builtins that set the variables named in their arguments. */
export const VAR_SETTERS = new Set([
  'read',
  'mapfile',
  'readarray',
  'getopts',
  'printf',
  'let',
  'unset',
  'declare',
  'typeset',
  'local',
  'export',
  'readonly',
]);

export function isIdentifier(text: string | undefined): text is string {
  return text !== undefined && IDENTIFIER.test(text);
}
