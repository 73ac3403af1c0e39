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
  evaluateFlags,
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

/**
 * C0 control bytes other than tab and newline: a NUL ends the string in C (the shell runs less than
 * the policy read, or the request breaks), and CR, ESC or backspace make the text an operator reads
 * differ from what runs.
 */
// eslint-disable-next-line no-control-regex -- matching control bytes is the point
const CONTROL_BYTES = /[\u0000-\u0008\u000b-\u001f]/;

function controlBytesFinding(command: string): Finding | undefined {
  const match = CONTROL_BYTES.exec(command);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).padStart(2, '0');
  return {
    allowed: false,
    rule: 'control_bytes',
    reason: `the command contains the control byte 0x${code} at offset ${match.index}; it is not run`,
    risk: RULES.control_bytes.risk,
    command: JSON.stringify(command),
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
    const found = [...evaluateCommand(cmd, rctx), ...evaluateFlags(cmd)];
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
      let commands: SimpleCommand[] = [];
      const found: Finding[] = [];
      const control = controlBytesFinding(command);
      const parser = await getParser();
      const tree = control ? null : parser.parse(command);
      try {
        if (control) found.push(control);
        else if (!tree || findParseError(tree.rootNode)) {
          found.push({
            allowed: false,
            rule: 'parse_error',
            reason: 'the command does not parse cleanly as shell; it is not run',
            risk: RULES.parse_error.risk,
            command,
          });
        } else {
          const cwd = ctx.cwd.startsWith('/') ? normalize(ctx.cwd) : null;
          const walked = walkTree(tree, parser, {
            cwd,
            home: rctx.home,
            posix: ctx.shell === 'sh',
            ...(config.maxDepth ? { maxDepth: config.maxDepth } : {}),
          });
          commands = walked.commands;
          for (const problem of walked.problems) {
            found.push({
              allowed: false,
              rule: problem.rule,
              reason: problem.reason,
              risk: RULES[problem.rule].risk,
              command: problem.command,
            });
          }
          found.push(...evaluateAll(commands, rctx));
          for (const cmd of commands) found.push(...judgeCommand(cmd, rctx, profile));
        }
      } finally {
        tree?.delete();
      }
      const unique = found.filter(
        (f, i) => found.findIndex((g) => g.rule === f.rule && g.command === f.command) === i,
      );
      const findings = unique.filter((f) => !f.allowed);
      const top = strongest(findings);
      const base = { profile, findings, commands: commands.map(view) };
      if (!top) {
        // Allowed, but an allowed finding (inline code) still carries its risk into a plan review.
        const flag = strongest(unique);
        const rule = profile === 'strict' ? 'allowlist' : 'allow';
        return {
          ...base,
          allowed: true,
          decision: 'allow',
          rule: flag?.rule ?? rule,
          reason: flag?.reason ?? 'no rule denies it',
          risk: flag?.risk ?? 0,
          command: flag?.command ?? '',
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
