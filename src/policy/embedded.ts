import { INTERPRETERS, interpreterOf } from './rules/names.js';
import type { SimpleCommand } from './types.js';

/**
 * Shell commands hidden in inline interpreter programs. A regex over the program text finds the
 * common "run this string through a shell" calls with a literal string argument; the walker then
 * parses that string as shell. Computed strings (`os.system(a + b)`) are not found: a known gap.
 */

/** Literal inline programs: `-c`/`-e`/`-r` values, here-docs, and awk's program operand. */
export function inlinePrograms(cmd: SimpleCommand, name: string): string[] {
  const texts = cmd.stdin.filter((s) => !s.dynamic).map((s) => s.text);
  const family = interpreterOf(name);
  const letters = family ? (INTERPRETERS[family]?.code ?? '') : '';
  cmd.args.forEach((word, i) => {
    const text = 'literal' in word ? word.literal : undefined;
    if (text === undefined) return;
    const next = cmd.args[i + 1];
    if (
      /^-[A-Za-z]+$/.test(text) &&
      letters.includes(text[text.length - 1] ?? '') &&
      next &&
      'literal' in next
    ) {
      texts.push(next.literal);
    }
  });
  if (!family) {
    // awk: the first argument that is not an option is the program.
    const program = cmd.args.find((w) => 'literal' in w && !w.literal.startsWith('-'));
    if (program && 'literal' in program) texts.push(program.literal);
  }
  return texts;
}

const CALL =
  /(?:\bos\.(?:system|popen|exec\w*)|\bsubprocess\.\w+|\bsystem|\bpopen|\bexec(?:Sync)?|\bspawnSync|\bshell_exec|\bpassthru|\bproc_open|%x|\bqx|\bIO\.popen|\bOpen3\.\w+)\s*[({]?\s*\[?\s*(?:(["'`])((?:\\.|(?!\1).)*)\1|q\(([^)]*)\)|\{([^}]*)\})/g;

export function embeddedShell(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(CALL)) {
    const text = match[2] ?? match[3] ?? match[4];
    if (text) found.push(text.replace(/\\(["'`\\])/g, '$1'));
  }
  // Backticks in perl/ruby/php run shell too.
  for (const match of code.matchAll(/`([^`]+)`/g)) if (match[1]) found.push(match[1]);
  return found;
}
