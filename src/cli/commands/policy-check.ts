import { readFile } from 'node:fs/promises';
import { AutomatosError } from '../../core/index.js';
import { loadPolicyConfig } from '../../engine/index.js';
import { createPolicyEngine } from '../../policy/index.js';
import type { PolicyConfig, PolicyDecision, Profile } from '../../policy/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { resolveFrom } from '../paths.js';

export interface PolicyCheckOptions {
  profile?: Profile;
  cwd?: string;
  root?: string[];
  policyFile?: string;
  file?: string;
  json?: boolean;
}

export const POLICY_DENIED_EXIT = 3;

async function engineConfig(ctx: CommandContext, opts: PolicyCheckOptions): Promise<PolicyConfig> {
  const explicit = opts.policyFile === undefined ? undefined : resolveFrom(ctx.io, opts.policyFile);
  return loadPolicyConfig(ctx.dataDir, ctx.io.env, explicit);
}

const line = (command: string, d: PolicyDecision) => ({
  command,
  decision: d.decision,
  rule: d.rule,
  reason: d.reason,
  risk: d.risk,
});

function describe(d: PolicyDecision): string {
  const head = `${d.decision}: ${d.rule} (risk ${d.risk}, profile ${d.profile})`;
  const lines = [head, `  ${d.reason}`];
  if (d.command !== '') lines.push(`  offending command: ${d.command}`);
  if (d.wouldDeny !== undefined)
    lines.push(`  would be denied by ${d.wouldDeny.rule}: ${d.wouldDeny.reason}`);
  lines.push(`  commands seen: ${d.commands.map((c) => c.text).join(' | ') || '(none)'}`);
  return `${lines.join('\n')}\n`;
}

/** Exit 0 when every command is allowed, 3 when any is denied. */
export async function policyCheckCommand(
  ctx: CommandContext,
  words: string[],
  opts: PolicyCheckOptions,
): Promise<number> {
  const engine = createPolicyEngine(await engineConfig(ctx, opts));
  const check = (command: string) =>
    engine.check(command, {
      cwd: opts.cwd ?? ctx.io.cwd,
      ...(opts.root === undefined ? {} : { writableRoots: opts.root }),
      ...(opts.profile === undefined ? {} : { profile: opts.profile }),
    });
  if (opts.file !== undefined) {
    if (words.length > 0) throw new AutomatosError('AUT_USAGE', 'give either --file or a COMMAND, not both');
    const text = await readFile(resolveFrom(ctx.io, opts.file), 'utf8').catch((error: unknown) => {
      throw new AutomatosError('AUT_IO', `cannot read ${opts.file}: ${(error as Error).message}`);
    });
    let denied = false;
    for (const command of text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) {
      const decision = await check(command);
      denied ||= !decision.allowed;
      ctx.io.out(`${JSON.stringify(line(command, decision))}\n`);
    }
    return denied ? POLICY_DENIED_EXIT : 0;
  }
  if (words.length === 0)
    throw new AutomatosError('AUT_USAGE', 'give the command to check after --, or --file F');
  const command = words.join(' ');
  const decision = await check(command);
  if (opts.json === true)
    printJson(ctx.io, { ...line(command, decision), profile: decision.profile, commands: decision.commands });
  else ctx.io.out(describe(decision));
  return decision.allowed ? 0 : POLICY_DENIED_EXIT;
}
