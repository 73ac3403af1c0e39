import { parseOptions, type OptionSpec } from './options.js';
import type { Word } from './types.js';

/** What a wrapper runs: an argv (`exec`), a string through a shell (`code`), or nothing we can see. */
export type Unwrapped =
  { kind: 'exec'; args: Word[]; cwd?: Word } | { kind: 'code'; code: Word } | { kind: 'none' };

export const STDIN_WORD: Word = { dynamic: true, text: '<stdin>', feeds: [] };
/** What `sudo -s`, `su` or `doas -s` without a command run: a shell reading its script from stdin. */
export const STDIN_SHELL: Unwrapped = { kind: 'exec', args: [{ literal: 'sh' }] };

/**
 * Leading `NAME=value` words that sudo, env and cross-env take as environment assignments. GNU env
 * takes any word with a `=` (`A.B=1`), so this does too: judging the next word as the command is
 * the stricter reading when the real program would have rejected the name.
 */
export function skipAssignments(words: readonly Word[]): Word[] {
  let index = 0;
  while (index < words.length) {
    const word = words[index];
    if (!word || !('literal' in word) || !word.literal.includes('=')) break;
    index += 1;
  }
  return words.slice(index);
}

/** Skip options (POSIX: up to the first operand); the rest is the wrapped argv. */
export function after(
  args: Word[],
  spec: OptionSpec,
  skipOperands = 0,
): { rest: Word[]; parsed: ReturnType<typeof parseOptions> } {
  const parsed = parseOptions(args, { ...spec, stopAtOperand: true });
  return { rest: parsed.operands.slice(skipOperands), parsed };
}

export function exec(args: Word[], cwd?: Word): Unwrapped {
  if (args.length === 0) return { kind: 'none' };
  return cwd ? { kind: 'exec', args, cwd } : { kind: 'exec', args };
}

/** Join words into one shell string (eval, watch, sudo -s): dynamic when any part is. */
export function joinWords(words: readonly Word[]): Word {
  if (words.every((w) => 'literal' in w))
    return { literal: words.map((w) => ('literal' in w ? w.literal : '')).join(' ') };
  const text = words.map((w) => ('literal' in w ? w.literal : w.text)).join(' ');
  const feeds = words.flatMap((w) => ('feeds' in w ? w.feeds : []));
  return { dynamic: true, text, feeds };
}
