import { normalize } from './paths.js';
import type { Word } from './types.js';

/**
 * Shell input the walker reads itself: scripts sourced from the shell's own stdin, and backtick
 * substitutions in here-doc bodies (tree-sitter only parses `$(…)` there).
 */

/** `source` paths that read the shell's stdin or an inherited descriptor (here-doc, here-string). */
const STDIN_SCRIPT = /^(\/dev\/stdin|\/dev\/fd\/\d+|\/proc\/(self|thread-self|\d+)\/fd\/\d+|-)$/;
const STDIN_SCRIPT_DYNAMIC = /(\/fd\/\d+|\/stdin)["']?$/;

/** Does a sourced script argument name the shell's own stdin or one of its descriptors? */
export function readsStdinScript(word: Word | undefined): boolean {
  if (!word) return false;
  return 'literal' in word
    ? STDIN_SCRIPT.test(normalizeDev(word.literal))
    : STDIN_SCRIPT_DYNAMIC.test(word.text);
}

function normalizeDev(path: string): string {
  return path.startsWith('/') ? normalize(path) : path;
}

/**
 * Backtick substitutions in an unquoted here-doc body (tree-sitter only parses `$(…)` there).
 * `ok` is false when a backtick is left open. Escapes follow bash: `\\`, `` \` `` and `\$`.
 */
export function heredocBackticks(body: string): { codes: string[]; ok: boolean } {
  const codes: string[] = [];
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (ch !== '`') continue;
    let code = '';
    let closed = false;
    for (i += 1; i < body.length; i += 1) {
      const c = body[i] ?? '';
      if (c === '\\' && /[\\`$]/.test(body[i + 1] ?? '')) {
        code += body[i + 1] ?? '';
        i += 1;
      } else if (c === '`') {
        closed = true;
        break;
      } else code += c;
    }
    if (!closed) return { codes, ok: false };
    codes.push(code);
  }
  return { codes, ok: true };
}
