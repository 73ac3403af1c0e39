import { optionCode } from '../exec-options.js';
import { commandName, deny, lit, type CommandRule } from './context.js';

/**
 * Code run through an option (`tar --to-command`, `git -c core.pager=…`, `sed 'e …'`, `vim -c`,
 * `gdb -ex`) and shell state that changes what later words mean (aliases). The walker already
 * walks whatever shell string these options spell out; this rule denies the forms whose code
 * cannot be read, or that a deployment has no business using.
 *
 * Code inside `python3 -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, awk programs and the like is
 * read only in part: embedded shell strings (embedded.ts) and literal-path file calls
 * (inline-effects.ts) are judged; anything computed is left to the sandbox, and the command is
 * flagged `inline_code` (inline-code.ts).
 */
export const execViaOption: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const { hidden } = optionCode(name, cmd.args);
  const reason = hidden[0];
  return reason ? deny('exec_via_option', cmd, `${name}: ${reason}`) : undefined;
};

/**
 * `alias r=rm` + `shopt -s expand_aliases` makes `r -rf /` delete / while every word the policy
 * reads says `r`. Deployment steps never need aliases, so defining one is denied.
 */
export const aliasDefinition: CommandRule = (cmd) => {
  const name = commandName(cmd);
  const args = cmd.args.map(lit);
  if (name === 'alias' && cmd.args.some((a) => lit(a) === undefined || (lit(a) ?? '').includes('=')))
    return deny(
      'alias_definition',
      cmd,
      'alias defines a command name whose meaning the policy cannot follow',
    );
  if (name === 'shopt' && args.includes('expand_aliases') && !args.includes('-u') && !args.includes('-q'))
    return deny('alias_definition', cmd, 'shopt expand_aliases turns on alias expansion');
  if (cmd.assignments.some((a) => /^BASH_ALIASES(\[|$)/.test(a.name)))
    return deny('alias_definition', cmd, 'BASH_ALIASES defines aliases');
  return undefined;
};

export const execOptionRules: CommandRule[] = [execViaOption, aliasDefinition];
