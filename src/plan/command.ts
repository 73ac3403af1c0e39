import { shellQuote } from './quote.js';

/**
 * Commands are data. Our own operations are argv lists that render with exact quoting; what the
 * manifest author wrote (build_command, hooks…) is kept as a `script` with its origin, because it is
 * shell by contract. Sequences join commands with explicit operators, as Kamal's builders do.
 */
export type Command =
  | { readonly kind: 'argv'; readonly argv: readonly string[] }
  | { readonly kind: 'script'; readonly script: string; readonly origin: string }
  | { readonly kind: 'seq'; readonly op: SeqOperator; readonly parts: readonly Command[] };

export type SeqOperator = '&&' | '||' | ';' | '|';

export function argv(...words: string[]): Command {
  return { kind: 'argv', argv: words };
}

export function script(text: string, origin: string): Command {
  return { kind: 'script', script: text, origin };
}

function seq(op: SeqOperator, parts: Command[]): Command {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return { kind: 'seq', op, parts };
}

export const chain = (...parts: Command[]): Command => seq('&&', parts);
export const either = (...parts: Command[]): Command => seq('||', parts);
export const pipe = (...parts: Command[]): Command => seq('|', parts);

/** Render to the exact text a shell on the target receives. */
export function renderCommand(command: Command): string {
  switch (command.kind) {
    case 'argv':
      return command.argv.map(shellQuote).join(' ');
    case 'script':
      return command.script;
    case 'seq':
      return command.parts.map((part) => renderPart(part, command.op)).join(` ${command.op} `);
  }
}

// A nested sequence or a user script inside a sequence is grouped so its own operators cannot change
// the meaning of ours (`a && b; c` inside `&&` would otherwise run c regardless). User scripts go in a
// subshell, which stays valid whatever they end with (`&`, a comment); our own sequences in braces.
const SHELL_OPERATORS = /[;&|\n#]/;

function renderPart(part: Command, parentOp: SeqOperator): string {
  switch (part.kind) {
    case 'argv':
      return renderCommand(part);
    case 'script':
      if (!SHELL_OPERATORS.test(part.script)) return part.script;
      // A trailing comment would swallow the closing parenthesis on the same line.
      return part.script.includes('#') ? `(${part.script}\n)` : `(${part.script})`;
    case 'seq':
      return part.op === parentOp ? renderCommand(part) : `{ ${renderCommand(part)}; }`;
  }
}
