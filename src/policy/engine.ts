import type { PolicyFile } from './config.js';
import { compileRule, type CompiledRule } from './custom.js';
import { findParseError, getParser } from './parse.js';
import { makeRoots, normalize } from './paths.js';
import { isAllowlisted } from './profiles.js';
import {
  CUSTOM_PREFIX,
  DEFAULT_READ_DENIED,
  evaluateCommand,
  evaluateAll,
  isOverridable,
  RULES,
  type RuleContext,
} from './rules/index.js';
import type {
  CheckContext,
  Finding,
  PolicyDecision,
  Profile,
  SimpleCommand,
  SimpleCommandView,
} from './types.js';
import { nameOf, walkTree } from './walk.js';

/**
 * The policy engine: parse → walk → rules → profile. One engine per policy configuration; `check`
 * is async only because the parser loads lazily on first use.
 */
export interface PolicyConfig {
  profile?: Profile;
  writableRoots?: string[];
  readDeniedPaths?: string[];
  systemdUnits?: boolean;
  allow?: PolicyFile['allow'];
  deny?: PolicyFile['deny'];
  /** Maximum re-parse depth for `bash -c`/`eval` strings (default 6). */
  maxDepth?: number;
}

export interface PolicyEngine {
  check(command: string, ctx: CheckContext): Promise<PolicyDecision>;
}

export const DEFAULT_WRITABLE_ROOTS: readonly string[] = [
  '/opt/automatos/apps',
  '~/.automatos/apps',
  '/tmp',
  '/var/tmp',
];
export const SYSTEMD_UNIT_GLOB = '/etc/systemd/system/automatos-*.service';

/** Convert a validated policy file into engine configuration. */
export function configFromFile(file: PolicyFile): PolicyConfig {
  const config: PolicyConfig = { allow: file.allow, deny: file.deny };
  if (file.profile !== undefined) config.profile = file.profile as Profile;
  if (file.writable_roots !== undefined) config.writableRoots = file.writable_roots;
  if (file.read_denied_paths !== undefined) config.readDeniedPaths = file.read_denied_paths;
  if (file.systemd_units !== undefined) config.systemdUnits = file.systemd_units;
  return config;
}

function view(cmd: SimpleCommand): SimpleCommandView {
  return {
    text: cmd.text,
    name: nameOf(cmd) === '<dynamic>' && 'text' in cmd.name ? cmd.name.text : nameOf(cmd),
    args: cmd.args.map((a) => ('literal' in a ? a.literal : a.text)),
    depth: cmd.depth,
    via: cmd.via,
  };
}

/** Highest risk wins; ties go to the first found (rules are ordered most specific first). */
function strongest(findings: readonly Finding[]): Finding | undefined {
  return findings.reduce<Finding | undefined>(
    (best, f) => (best === undefined || f.risk > best.risk ? f : best),
    undefined,
  );
}

export function createPolicyEngine(config: PolicyConfig = {}): PolicyEngine {
  const allows: CompiledRule[] = (config.allow ?? []).map(compileRule);
  const denies: CompiledRule[] = (config.deny ?? []).map(compileRule);

  function ruleContext(ctx: CheckContext): RuleContext {
    const home = ctx.home ?? '/root';
    const rootEntries = [...(ctx.writableRoots ?? config.writableRoots ?? DEFAULT_WRITABLE_ROOTS)];
    // `<unit>.next` is the temporary file src/plan/write-file.ts renames over the unit atomically.
    if (ctx.systemdUnits ?? config.systemdUnits ?? false)
      rootEntries.push(SYSTEMD_UNIT_GLOB, `${SYSTEMD_UNIT_GLOB}.next`);
    const expand = (p: string): string => {
      const path = p.startsWith('~') ? home + p.slice(1) : p;
      return normalize(path) + (path.endsWith('/') && path !== '/' ? '/' : '');
    };
    return {
      home,
      roots: makeRoots(rootEntries, home),
      readDenied: [...DEFAULT_READ_DENIED, ...(config.readDeniedPaths ?? [])].map(expand),
    };
  }

  function judgeCommand(cmd: SimpleCommand, rctx: RuleContext, profile: Profile): Finding[] {
    const found = evaluateCommand(cmd, rctx);
    for (const rule of denies) {
      if (!rule.matches(cmd, false)) continue;
      found.push({
        allowed: false,
        rule: `${CUSTOM_PREFIX}${rule.id}`,
        reason: rule.reason ?? `denied by the policy file rule ${rule.id}`,
        risk: rule.risk ?? 70,
        command: cmd.text,
      });
    }
    const allowedBy = allows.find((rule) => rule.matches(cmd, true));
    if (profile === 'strict' && !allowedBy && !isAllowlisted(cmd)) {
      const info = RULES.not_allowlisted;
      found.push({
        allowed: false,
        rule: 'not_allowlisted',
        reason: `${nameOf(cmd)} is not on the strict allowlist`,
        risk: info.risk,
        command: cmd.text,
      });
    }
    // A custom allow lifts only overridable denials; hard denies and custom denies stay.
    return allowedBy ? found.filter((f) => !isOverridable(f.rule)) : found;
  }

  return {
    async check(command, ctx) {
      const profile: Profile = ctx.profile ?? config.profile ?? 'standard';
      const rctx = ruleContext(ctx);
      const parser = await getParser();
      const tree = parser.parse(command);
      let commands: SimpleCommand[] = [];
      const findings: Finding[] = [];
      try {
        if (!tree || findParseError(tree.rootNode)) {
          findings.push({
            allowed: false,
            rule: 'parse_error',
            reason: 'the command does not parse cleanly as shell; it is not run',
            risk: RULES.parse_error.risk,
            command,
          });
        } else {
          const cwd = ctx.cwd.startsWith('/') ? normalize(ctx.cwd) : null;
          const walked = walkTree(tree.rootNode, parser, {
            cwd,
            home: rctx.home,
            ...(config.maxDepth ? { maxDepth: config.maxDepth } : {}),
          });
          commands = walked.commands;
          for (const problem of walked.problems) {
            findings.push({
              allowed: false,
              rule: problem.rule,
              reason: problem.reason,
              risk: RULES[problem.rule].risk,
              command: problem.command,
            });
          }
          findings.push(...evaluateAll(commands, rctx));
          for (const cmd of commands) findings.push(...judgeCommand(cmd, rctx, profile));
        }
      } finally {
        tree?.delete();
      }
      const unique = findings.filter(
        (f, i) => findings.findIndex((g) => g.rule === f.rule && g.command === f.command) === i,
      );
      const top = strongest(unique);
      const base = { profile, findings: unique, commands: commands.map(view) };
      if (!top) {
        const rule = profile === 'strict' ? 'allowlist' : 'allow';
        return {
          ...base,
          allowed: true,
          decision: 'allow',
          rule,
          reason: 'no rule denies it',
          risk: 0,
          command: '',
        };
      }
      if (profile === 'audit') {
        return {
          ...base,
          allowed: true,
          decision: 'allow',
          rule: 'audit',
          reason: `audit profile: would deny (${top.rule}: ${top.reason})`,
          risk: top.risk,
          command: top.command,
          wouldDeny: top,
        };
      }
      return {
        ...base,
        allowed: false,
        decision: 'deny',
        rule: top.rule,
        reason: top.reason,
        risk: top.risk,
        command: top.command,
      };
    },
  };
}
