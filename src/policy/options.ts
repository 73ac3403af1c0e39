import type { Word } from './types.js';

/**
 * A small getopt: enough to find operands, flags and option values the way GNU tools read them
 * (`-rf`, `-t DIR`, `-tDIR`, `--target-directory=DIR`, `--`). A dynamic word is an operand: its
 * value is unknown, so treating it as a flag could hide a path.
 */
export interface OptionSpec {
  /** Short options that take a value, e.g. `'tS'`. */
  short?: string;
  /** Long options that take a value (without `--`). */
  long?: readonly string[];
  /** Stop option parsing at the first operand (POSIX style, for wrappers: `sudo -u x cmd -rf`). */
  stopAtOperand?: boolean;
}

export interface ParsedArgs {
  /** Short flags as single letters, long flags as `--name`. */
  flags: Set<string>;
  values: Map<string, Word[]>;
  operands: Word[];
  /** Index in `args` of the first operand (for wrappers, the wrapped command). */
  firstOperand: number;
}

export function parseOptions(args: readonly Word[], spec: OptionSpec = {}): ParsedArgs {
  const result: ParsedArgs = { flags: new Set(), values: new Map(), operands: [], firstOperand: args.length };
  const addValue = (key: string, word: Word | undefined): void => {
    if (!word) return;
    const list = result.values.get(key) ?? [];
    list.push(word);
    result.values.set(key, list);
  };
  let onlyOperands = false;
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i];
    if (!word) continue;
    const text = 'literal' in word ? word.literal : undefined;
    if (onlyOperands || text === undefined || !text.startsWith('-') || text === '-') {
      if (result.firstOperand === args.length) result.firstOperand = i;
      result.operands.push(word);
      if (spec.stopAtOperand) {
        result.operands.push(...args.slice(i + 1));
        return result;
      }
      continue;
    }
    if (text === '--') {
      onlyOperands = true;
      if (spec.stopAtOperand && i + 1 < args.length) {
        result.firstOperand = i + 1;
        result.operands.push(...args.slice(i + 1));
        return result;
      }
      continue;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq === -1 ? text.slice(2) : text.slice(2, eq);
      result.flags.add(`--${name}`);
      if (eq !== -1) addValue(`--${name}`, { literal: text.slice(eq + 1) });
      else if (spec.long?.includes(name)) {
        i += 1;
        addValue(`--${name}`, args[i]);
      }
      continue;
    }
    for (let j = 1; j < text.length; j += 1) {
      const letter = text[j] ?? '';
      result.flags.add(letter);
      if (spec.short?.includes(letter)) {
        const rest = text.slice(j + 1);
        if (rest) addValue(`-${letter}`, { literal: rest });
        else {
          i += 1;
          addValue(`-${letter}`, args[i]);
        }
        break;
      }
    }
  }
  return result;
}

/** All values of an option under any of its spellings (`-t`, `--target-directory`). */
export function optionValues(parsed: ParsedArgs, ...keys: string[]): Word[] {
  return keys.flatMap((key) => parsed.values.get(key) ?? []);
}

export function hasFlag(parsed: ParsedArgs, ...names: string[]): boolean {
  return names.some((name) => parsed.flags.has(name));
}
