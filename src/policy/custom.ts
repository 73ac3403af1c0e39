import type { CustomRuleSpec } from './config.js';
import type { SimpleCommand } from './types.js';
import { nameOf } from './walk.js';

/**
 * Custom allow/deny rules compiled once per engine. A command matches when its name matches one of
 * the rule's names (exact or `*`-glob) and its space-joined arguments match `args` (a glob where `*`
 * spans anything) and `args_regex`. Allows only ever match fully literal arguments: a pattern must
 * not vouch for a value nobody has seen.
 */
export interface CompiledRule {
  id: string;
  reason?: string;
  risk?: number;
  matches(cmd: SimpleCommand, forAllow: boolean): boolean;
}

function globToRegex(glob: string, spanSlash: boolean): RegExp {
  const any = spanSlash ? '.*' : '[^/]*';
  const body = glob
    .replace(/[.+^${}()|\\[\]]/g, '\\$&')
    .replace(/\*/g, any)
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

export function compileRule(spec: CustomRuleSpec): CompiledRule {
  const names = (Array.isArray(spec.command) ? spec.command : [spec.command]).map((n) =>
    globToRegex(n, false),
  );
  const args = spec.args === undefined ? undefined : globToRegex(spec.args, true);
  const regex = spec.args_regex === undefined ? undefined : new RegExp(spec.args_regex);
  const rule: CompiledRule = {
    id: spec.id,
    matches(cmd, forAllow) {
      if (!names.some((re) => re.test(nameOf(cmd)))) return false;
      if (forAllow && (!('literal' in cmd.name) || cmd.args.some((a) => !('literal' in a)))) return false;
      const joined = cmd.args.map((a) => ('literal' in a ? a.literal : a.text)).join(' ');
      return (!args || args.test(joined)) && (!regex || regex.test(joined));
    },
  };
  if (spec.reason !== undefined) rule.reason = spec.reason;
  if (spec.risk !== undefined) rule.risk = spec.risk;
  return rule;
}
