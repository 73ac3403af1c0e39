import type { Finding, SimpleCommand } from '../types.js';
import { commandName, deny } from './context.js';
import { inlineCode } from './reverse-shell.js';

/**
 * Fork bombs: a function that calls itself in a pipeline or in the background (`:(){ :|:& };:`,
 * `b(){ b & b; }`), and interpreter one-liners that fork in a loop. Judged over all commands,
 * because the self-call and the definition are different nodes.
 */
const FORK_LOOP =
  /fork\s*(\(\s*\))?\s*while|while[^;\n]*fork|for\s*\(\s*;\s*;\s*\)[^\n]*fork|while\s*\(?\s*(1|True|true)\s*\)?\s*:?[^\n]*fork/;

export function forkBombs(commands: readonly SimpleCommand[]): Finding[] {
  const findings: Finding[] = [];
  for (const cmd of commands) {
    const name = commandName(cmd);
    if (
      cmd.inFunction !== undefined &&
      name === cmd.inFunction &&
      (cmd.pipeline !== undefined || cmd.background)
    ) {
      findings.push(deny('fork_bomb', cmd, `function ${name} spawns copies of itself`));
    } else if (inlineCode(cmd).some((code) => FORK_LOOP.test(code))) {
      findings.push(deny('fork_bomb', cmd, `${name} forks in an endless loop`));
    }
  }
  return findings;
}
