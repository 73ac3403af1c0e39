import { resolvePath } from '../paths.js';
import type { Finding, SimpleCommand, Word } from '../types.js';
import { SHELLS } from '../wrappers.js';
import { commandName, deny, lit, type RuleContext } from './context.js';
import { FETCHERS, interpreterOf } from './names.js';
import { writeTargets } from './writes.js';

/**
 * Download-then-run in one command (`curl -o x.sh URL && bash x.sh`, `wget -O /tmp/i URL; chmod +x
 * /tmp/i; /tmp/i`): the same remote code execution as `curl | sh`, one file removed. Judged over
 * all commands because the download and the run are separate simple commands.
 */
export function downloadThenRun(commands: readonly SimpleCommand[], ctx: RuleContext): Finding[] {
  const fetched = new Map<string, string>();
  const findings: Finding[] = [];
  const resolve = (word: Word | undefined, cmd: SimpleCommand): string | undefined =>
    word ? resolvePath(word, cmd.cwd, ctx.home) : undefined;
  for (const cmd of commands) {
    const name = commandName(cmd);
    if (FETCHERS.has(name)) {
      const outputs = [
        ...writeTargets(cmd),
        ...cmd.redirects.filter((r) => /^(>|>>|>\||&>)$/.test(r.op)).map((r) => r.target),
      ];
      for (const output of outputs) {
        const path = resolve(output, cmd);
        if (path && lit(output) !== '.') fetched.set(path, name);
      }
      continue;
    }
    const run: (Word | undefined)[] = [];
    if ('literal' in cmd.name && cmd.name.literal.includes('/')) run.push(cmd.name);
    if (SHELLS.has(name) || interpreterOf(name) || name === 'source' || name === '.') {
      run.push(cmd.args.find((a) => !lit(a)?.startsWith('-')));
    }
    for (const word of run) {
      const path = resolve(word, cmd);
      const source = path ? fetched.get(path) : undefined;
      if (path && source)
        findings.push(deny('remote_code_exec', cmd, `${path} was downloaded by ${source} and then run`));
    }
  }
  return findings;
}
