import type { Node } from 'web-tree-sitter';
import type { Word } from './types.js';

/**
 * Resolve a word node to the value the shell would pass, without running anything. Quoting tricks
 * (`r''m`, `"rm"`, `$'\x72m'`, `r\m`) all resolve to `rm`; anything whose value depends on the run
 * (variables, command output, brace expansion) is `dynamic`, and the command substitutions inside it
 * are returned so the walker can inspect the commands that produce it.
 */
export interface ResolvedWord {
  word: Word;
  substitutions: Node[];
}

const SUBSTITUTIONS = new Set(['command_substitution', 'process_substitution']);

/**
 * What the walker knows about a shell variable set earlier in the same command string: the values
 * it may hold, and whether it may also hold something unknown (set conditionally, or before).
 */
export interface VarValue {
  values: readonly string[];
  unknown: boolean;
}
export type VarLookup = (name: string) => VarValue | undefined;

/** Stands for a part known only at run time; becomes `*` in a word's patterns. */
const UNKNOWN = '\u0001';
/** More alternatives than this (`$a$b$c` each with several values) are not spelled out. */
const MAX_ALTERNATIVES = 16;
const BRACES = /\{[^{}]*(,|\.\.)[^{}]*\}/g;

interface Acc {
  value: string;
  /** The value with quoted characters masked, to spot unquoted glob and brace syntax. */
  shape: string;
  tilde: boolean;
}

export function resolveWord(node: Node, vars?: VarLookup): ResolvedWord {
  const substitutions = collectSubstitutions(node);
  const accs = append(node, [{ value: '', shape: '', tilde: false }], true, vars);
  const braced = accs.some((acc) => new RegExp(BRACES.source).test(acc.shape));
  const only = accs[0];
  if (accs.length === 1 && only && !only.value.includes(UNKNOWN) && !braced) {
    const word: Word = { literal: only.value };
    if (/[*?[]/.test(only.shape)) word.glob = true;
    if (only.tilde) word.tilde = true;
    return { word, substitutions };
  }
  // Brace expansion turns one word into several (`/{etc,usr}`): each brace group could be anything.
  const patterns = accs.map((acc) => {
    let value = acc.value;
    for (const m of acc.shape.matchAll(BRACES))
      value = value.slice(0, m.index) + UNKNOWN.repeat(m[0].length) + value.slice(m.index + m[0].length);
    return value
      .split(UNKNOWN)
      .join('*')
      .replace(/\*{2,}/g, '*');
  });
  const known = !braced && accs.every((acc) => !acc.value.includes(UNKNOWN));
  return { word: { dynamic: true, text: node.text, feeds: [], patterns, known }, substitutions };
}

/** Command and process substitutions anywhere inside the word (not inside each other). */
export function collectSubstitutions(node: Node): Node[] {
  if (SUBSTITUTIONS.has(node.type)) return [node];
  const found: Node[] = [];
  for (const child of node.namedChildren) if (child) found.push(...collectSubstitutions(child));
  return found;
}

function push(accs: Acc[], value: string, quoted: boolean): Acc[] {
  for (const acc of accs) {
    acc.value += value;
    acc.shape += quoted ? '\u0000'.repeat(value.length) : value;
  }
  return accs;
}

const unknown = (accs: Acc[]): Acc[] => push(accs, UNKNOWN, true);

/** `$name` or `${name}` with nothing else: the only expansions whose value the walker may know. */
function plainVariable(node: Node): string | undefined {
  const named = node.namedChildren;
  if (named.length !== 1 || named[0]?.type !== 'variable_name') return undefined;
  if (node.type === 'simple_expansion') return named[0].text;
  return node.type === 'expansion' && node.childCount === 3 ? named[0].text : undefined;
}

/**
 * A variable set earlier in the script: each value it may have becomes an alternative. Unquoted,
 * a value with blanks would be split into several words and an empty one would vanish: unknown.
 */
function variable(node: Node, accs: Acc[], quoted: boolean, vars: VarLookup | undefined): Acc[] {
  const name = plainVariable(node);
  const known = name === undefined ? undefined : vars?.(name);
  if (!known) return unknown(accs);
  const values = known.values.map((v) => (!quoted && (v === '' || /[ \t\n]/.test(v)) ? UNKNOWN : v));
  if (known.unknown) values.push(UNKNOWN);
  if (accs.length * values.length > MAX_ALTERNATIVES) return unknown(accs);
  return accs.flatMap((acc) => values.map((v) => push([{ ...acc }], v, quoted || v === UNKNOWN)[0] as Acc));
}

function append(node: Node, accs: Acc[], first: boolean, vars: VarLookup | undefined): Acc[] {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'command_name':
    case 'variable_name':
    case 'file_descriptor':
      if (node.type === 'command_name' && node.firstNamedChild)
        return append(node.firstNamedChild, accs, first, vars);
      if (first && node.text.startsWith('~')) for (const acc of accs) acc.tilde = true;
      return unquoted(node.text, accs);
    case 'raw_string':
      return push(accs, node.text.slice(1, -1), true);
    case 'ansi_c_string':
      return push(accs, decodeAnsiC(node.text.slice(2, -1)), true);
    case 'string': {
      let out = accs;
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_content')
          out = push(
            out,
            child.text.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c)),
            true,
          );
        else if (child.type === 'simple_expansion' || child.type === 'expansion')
          out = variable(child, out, true, vars);
        else out = unknown(out);
      }
      return out;
    }
    case 'concatenation': {
      let out = accs;
      let index = 0;
      for (const child of node.children) {
        if (!child) continue;
        out = append(child, out, first && index === 0, vars);
        index += 1;
      }
      return out;
    }
    case 'simple_expansion':
    case 'expansion':
      return variable(node, accs, false, vars);
    default:
      // Substitutions, arithmetic, translated strings, extglobs: value known only at run time.
      return unknown(accs);
  }
}

/** Unquoted text: a backslash quotes the next character; backslash-newline disappears. */
function unquoted(text: string, accs: Acc[]): Acc[] {
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] ?? '';
      i += 1;
      if (next !== '\n') push(accs, next, true);
    } else {
      push(accs, ch, false);
    }
  }
  return accs;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\u0007',
  b: '\b',
  e: '\u001b',
  E: '\u001b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Decode the body of `$'…'` the way bash does. */
export function decodeAnsiC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] ?? '';
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? '';
    i += 1;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const take = (re: RegExp): string => {
      const match = re.exec(body.slice(i + 1));
      const digits = match?.[0] ?? '';
      i += digits.length;
      return digits;
    };
    if (/[0-7]/.test(next)) {
      i -= 1; // the first octal digit is part of the number
      out += String.fromCharCode(parseInt(take(/^[0-7]{1,3}/), 8) & 0xff);
    } else if (next === 'x') {
      const hex = take(/^[0-9a-fA-F]{1,2}/);
      out += hex ? String.fromCharCode(parseInt(hex, 16)) : '\\x';
    } else if (next === 'u' || next === 'U') {
      const hex = take(next === 'u' ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/);
      out += hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)) : `\\${next}`;
    } else if (next === 'c') {
      const ctl = body[i + 1] ?? '';
      i += 1;
      out += String.fromCharCode(ctl.toUpperCase().charCodeAt(0) & 0x1f);
    } else {
      out += `\\${next}`;
    }
  }
  return out;
}

export function isLiteral(word: Word): word is Extract<Word, { literal: string }> {
  return 'literal' in word;
}

/** Literal value, or undefined when dynamic. */
export function literalOf(word: Word): string | undefined {
  return 'literal' in word ? word.literal : undefined;
}

/** Text to show an operator: the literal value, or the source text of a dynamic word. */
export function displayOf(word: Word): string {
  return 'literal' in word ? word.literal : word.text;
}
