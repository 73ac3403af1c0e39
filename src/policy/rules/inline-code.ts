import { inlineCode } from '../inline-code.js';
import type { Finding, SimpleCommand } from '../types.js';
import { RULES } from './catalog.js';
import { commandName } from './context.js';

/**
 * Inline interpreter code is allowed (builds run code by design, and the sandbox contains it) but
 * never silently: the decision carries `inline_code` and a risk of 60, so a tier-2 plan that
 * contains it waits for an operator. Whatever the walker could read inside it was judged by the
 * other rules already; a denial there wins over this flag.
 */
export function inlineCodeFlag(cmd: SimpleCommand): Finding | undefined {
  const what = inlineCode(cmd, commandName(cmd))?.what;
  if (what === undefined) return undefined;
  return {
    allowed: true,
    rule: 'inline_code',
    reason: `${what}: inline code the policy reads only in part; the sandbox contains what it does, and a tier-2 plan needs an operator's approval`,
    risk: RULES.inline_code.risk,
    command: cmd.text,
  };
}
