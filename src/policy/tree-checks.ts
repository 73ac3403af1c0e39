import type { Node, Tree } from 'web-tree-sitter';

/**
 * Checks over a whole syntax tree, made before the walker looks at any command. They are iterative
 * (a cursor, never recursion) because the tree may be arbitrarily deep: a thousand nested `$(` is
 * three thousand levels, and the recursive walker would overflow the stack on it.
 */

/**
 * Deepest tree the walker accepts. `$(` costs three levels, so this is about eighty nested
 * substitutions, far beyond any real command; re-parsed strings (`bash -c`) get the same budget
 * each, and there are at most MAX_REPARSE of them, so the walker's stack stays a few thousand
 * frames.
 */
export const MAX_TREE_DEPTH = 256;
export const MAX_REPARSE = 8;

export interface TreeProblem {
  rule: 'too_complex' | 'shell_differential';
  reason: string;
}

/** Visit every node, depth first, without recursion; stop early when `visit` returns false. */
function eachNode(tree: Tree, visit: (node: Node, depth: number) => boolean): void {
  const cursor = tree.walk();
  try {
    let depth = 0;
    for (;;) {
      if (!visit(cursor.currentNode, depth)) return;
      if (cursor.gotoFirstChild()) {
        depth += 1;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        depth -= 1;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Where bash ends a `$'…'` string: a backslash escapes the next character, `'` closes it. */
export function ansiCEnd(text: string): number {
  for (let i = 2; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === "'") return i;
  }
  return -1;
}

/** Parameter-expansion operators POSIX sh knows; any other (`//`, `:1:2`, `^^`, `!x`, `@Q`) is bash's. */
const POSIX_EXPANSION_OPS = new Set([
  '${',
  '}',
  ':-',
  '-',
  ':=',
  '=',
  ':?',
  '?',
  ':+',
  '+',
  '%',
  '%%',
  '#',
  '##',
]);

/** What a bash-only construct is called for an operator, or undefined when POSIX sh reads it alike. */
export function bashOnly(node: Node): string | undefined {
  const first = node.child(0)?.type;
  switch (node.type) {
    case 'ansi_c_string':
      return "$'…' ANSI-C quoting";
    case 'string':
      // tree-sitter hangs the `$` of `$"…"` before the string as a token of its own.
      return node.previousSibling?.type === '$' && node.previousSibling.endIndex === node.startIndex
        ? '$"…" translated strings'
        : undefined;
    case 'compound_statement':
      return first === '((' ? '((…)) arithmetic commands (a nested subshell in sh)' : undefined;
    case 'arithmetic_expansion':
      return first === '$[' ? '$[…] arithmetic' : undefined;
    case 'c_style_for_statement':
      return 'for ((…)) loops';
    case 'for_statement':
      return first === 'select' ? 'select loops' : undefined;
    case 'test_command':
      return first === '[[' ? '[[ … ]] tests' : undefined;
    case 'function_definition':
      return first === 'function' ? 'the `function` keyword' : undefined;
    case 'array':
    case 'subscript':
      return 'arrays';
    case 'process_substitution':
      return '<(…)/>(…) process substitution';
    case 'brace_expression':
      return '{a..b} brace expansion';
    case 'concatenation':
      return /\{[^{}]*,[^{}]*\}/.test(unquotedText(node)) ? '{a,b} brace expansion' : undefined;
    case 'herestring_redirect':
      return '<<< here-strings';
    case 'extglob_pattern':
      // tree-sitter also calls a plain case pattern (`*)`) this: only `?(…)`, `@(…)`… are bash's.
      return /[?*+@!]\(/.test(node.text) ? 'extended globs' : undefined;
    case 'declaration_command':
      return first === 'declare' || first === 'typeset' ? `${first} (not a sh builtin)` : undefined;
    case 'variable_assignment':
      return node.children.some((c) => c?.type === '+=') ? '+= assignments' : undefined;
    case 'pipeline':
      return node.children.some((c) => c?.type === '|&') ? '|& pipes' : undefined;
    case 'file_redirect':
      return fileRedirect(node);
    case 'expansion': {
      const op = node.children.find((c) => c !== null && !c.isNamed && !POSIX_EXPANSION_OPS.has(c.type));
      return op ? `the \${…${op.type}…} expansion` : undefined;
    }
    default:
      return undefined;
  }
}

/** `&>`/`&>>` (sh: background, then truncate) and `>&FILE` are bash's; `2>&1`, `>&2` are POSIX. */
function fileRedirect(node: Node): string | undefined {
  const op = node.children.find((c) => c !== null && !c.isNamed)?.type;
  if (op === '&>' || op === '&>>') return `${op} redirection (in sh: run in the background, then truncate)`;
  const destination = node.childForFieldName('destination');
  if (op === '>&' && destination && !/^(\d+|-)$/.test(destination.text)) return '>&FILE redirection';
  return undefined;
}

function unquotedText(node: Node): string {
  return node.children
    .filter((c): c is Node => c !== null && c.type === 'word')
    .map((c) => c.text)
    .join('');
}

/**
 * Text between two tokens that no node covers. tree-sitter-bash drops a lone `-` right before a
 * here-doc (`python3 - <<EOF`); the walker puts it back, so only other text is a problem.
 */
function skippedText(gap: string, next: Node): string | undefined {
  const text = gap.replace(/\\\r?\n/g, '').trim();
  if (text === '' || (text === '-' && next.parent?.type === 'heredoc_redirect')) return undefined;
  return text;
}

/**
 * Problems with a tree as a whole: nesting past MAX_TREE_DEPTH (`too_complex`), a `$'…'` string
 * tree-sitter ends somewhere bash does not (`$'\\'` — bash closes it at the second quote, the
 * grammar reads on and hides what follows), text the grammar skipped, and, when POSIX sh runs it,
 * every bash-only construct.
 */
export function treeProblems(tree: Tree, posix: boolean): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const source = tree.rootNode.text;
  const offset = tree.rootNode.startIndex;
  let covered = offset;
  eachNode(tree, (node, depth) => {
    if (node.childCount === 0) {
      const skipped = skippedText(source.slice(covered - offset, node.startIndex - offset), node);
      if (skipped)
        problems.push({
          rule: 'shell_differential',
          reason: `the parser skipped ${JSON.stringify(skipped)}, which the shell would read`,
        });
      covered = Math.max(covered, node.endIndex);
    }
    if (depth > MAX_TREE_DEPTH) {
      problems.push({
        rule: 'too_complex',
        reason: `the command nests more than ${MAX_TREE_DEPTH} levels deep; the policy does not judge it`,
      });
      return false;
    }
    if (node.type === 'ansi_c_string' && ansiCEnd(node.text) !== node.text.length - 1) {
      problems.push({
        rule: 'shell_differential',
        reason: `the shell ends the string ${node.text.slice(0, 24)}… earlier than the parser does, so the parser would miss commands`,
      });
    }
    const construct = posix ? bashOnly(node) : undefined;
    if (construct)
      problems.push({
        rule: 'shell_differential',
        reason: `${construct} mean something else in POSIX sh, which runs this command`,
      });
    return true;
  });
  return problems;
}
