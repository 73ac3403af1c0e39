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

class Dynamic extends Error {}

interface Acc {
  value: string;
  /** The value with quoted characters masked, to spot unquoted glob and brace syntax. */
  shape: string;
  tilde: boolean;
}

export function resolveWord(node: Node): ResolvedWord {
  const substitutions = collectSubstitutions(node);
  const acc: Acc = { value: '', shape: '', tilde: false };
  try {
    append(node, acc, true);
  } catch (error) {
    if (!(error instanceof Dynamic)) throw error;
    return { word: { dynamic: true, text: node.text, feeds: [] }, substitutions };
  }
  // Brace expansion turns one word into several (`/{etc,usr}`): treat as not knowable.
  if (/\{[^{}]*(,|\.\.)[^{}]*\}/.test(acc.shape)) {
    return { word: { dynamic: true, text: node.text, feeds: [] }, substitutions };
  }
  const word: Word = { literal: acc.value };
  if (/[*?[]/.test(acc.shape)) word.glob = true;
  if (acc.tilde) word.tilde = true;
  return { word, substitutions };
}

/** Command and process substitutions anywhere inside the word (not inside each other). */
export function collectSubstitutions(node: Node): Node[] {
  if (SUBSTITUTIONS.has(node.type)) return [node];
  const found: Node[] = [];
  for (const child of node.namedChildren) if (child) found.push(...collectSubstitutions(child));
  return found;
}

function push(acc: Acc, value: string, quoted: boolean): void {
  acc.value += value;
  acc.shape += quoted ? '\u0000'.repeat(value.length) : value;
}

function append(node: Node, acc: Acc, first: boolean): void {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'command_name':
    case 'variable_name':
    case 'file_descriptor':
      if (node.type === 'command_name' && node.firstNamedChild)
        return append(node.firstNamedChild, acc, first);
      if (first && node.text.startsWith('~')) acc.tilde = true;
      return unquoted(node.text, acc);
    case 'raw_string':
      return push(acc, node.text.slice(1, -1), true);
    case 'ansi_c_string':
      return push(acc, decodeAnsiC(node.text.slice(2, -1)), true);
    case 'string':
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type !== 'string_content') throw new Dynamic();
        push(
          acc,
          child.text.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c)),
          true,
        );
      }
      return;
    case 'concatenation': {
      let index = 0;
      for (const child of node.children) {
        if (!child) continue;
        append(child, acc, first && index === 0);
        index += 1;
      }
      return;
    }
    default:
      // Expansions, substitutions, arithmetic, translated strings, extglobs: value known only at run time.
      throw new Dynamic();
  }
}

/** Unquoted text: a backslash quotes the next character; backslash-newline disappears. */
function unquoted(text: string, acc: Acc): void {
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1] ?? '';
      i += 1;
      if (next !== '\n') push(acc, next, true);
    } else {
      push(acc, ch, false);
    }
  }
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
