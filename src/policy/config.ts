import { readFile } from 'node:fs/promises';
import { isMap, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { PROFILES } from './types.js';

/**
 * The policy file (YAML): profile, writable roots, read-denied paths, and custom allow/deny rules
 * matched by command name and argument patterns. Validation returns data — `{value, errors,
 * warnings}` — each issue with a stable code, the field path and file:line:col where known.
 *
 * ```yaml
 * profile: standard              # strict | standard | audit
 * writable_roots: [/srv/apps, /tmp]
 * read_denied_paths: [/etc/app/secret.key, /srv/vault/]   # trailing / = the whole tree
 * systemd_units: true            # allow writing /etc/systemd/system/automatos-*.service
 * allow:
 *   - id: compose
 *     command: docker            # a name, a glob (python3*) or a list of them
 *     args: "compose *"          # glob over the space-joined arguments
 *     reason: apps run under docker compose
 * deny:
 *   - id: no-publish
 *     command: [npm, yarn]
 *     args_regex: "^publish\\b"
 *     reason: never publish from a server
 *     risk: 60
 * ```
 */

const Names = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const validRegex = (value: string, ctx: z.RefinementCtx): void => {
  try {
    new RegExp(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}` });
  }
};

const RuleSpec = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'use lowercase letters, digits, _ . - (e.g. no-npm-publish)'),
    command: Names,
    args: z.string().optional(),
    args_regex: z.string().superRefine(validRegex).optional(),
    reason: z.string().optional(),
    risk: z.number().int().min(0).max(100).optional(),
  })
  .strict();

const AbsolutePath = z.string().regex(/^(\/|~)/, 'must be an absolute path (or start with ~)');

export const PolicyFileSchema = z
  .object({
    profile: z.enum(PROFILES as [string, ...string[]]).optional(),
    writable_roots: z.array(AbsolutePath).optional(),
    read_denied_paths: z.array(AbsolutePath).optional(),
    systemd_units: z.boolean().optional(),
    allow: z.array(RuleSpec).default([]),
    deny: z.array(RuleSpec).default([]),
  })
  .strict();

export type PolicyFile = z.infer<typeof PolicyFileSchema>;
export type CustomRuleSpec = z.infer<typeof RuleSpec>;

export interface PolicyIssue {
  code: 'POLICY_YAML' | 'POLICY_SCHEMA' | 'POLICY_DUPLICATE_ID' | 'POLICY_BROAD_ALLOW';
  /** Dotted field path, e.g. `deny[1].args_regex`; empty for the document. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface PolicyLoadResult {
  value?: PolicyFile;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

export function formatIssue(issue: PolicyIssue): string {
  const where = [issue.file, issue.line, issue.col].filter((x) => x !== undefined).join(':');
  return `${where ? `${where}: ` : ''}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

export function parsePolicyFile(text: string, file?: string): PolicyLoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined): Pick<PolicyIssue, 'file' | 'line' | 'col'> => {
    const base: Pick<PolicyIssue, 'file' | 'line' | 'col'> = file === undefined ? {} : { file };
    if (offset === undefined) return base;
    const pos = lineCounter.linePos(offset);
    return { ...base, line: pos.line, col: pos.col };
  };
  const errors: PolicyIssue[] = doc.errors.map((e) => ({
    code: 'POLICY_YAML',
    path: '',
    message: e.message.split('\n')[0] ?? e.message,
    ...at(e.pos[0]),
  }));
  if (errors.length > 0) return { errors, warnings: [] };

  /** The YAML node at a path (or the closest existing parent), for its position. */
  const nodeAt = (path: readonly PropertyKey[]): YamlNode | undefined => {
    for (let n = path.length; n >= 0; n -= 1) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (node && typeof node === 'object' && 'range' in node) return node as YamlNode;
    }
    return undefined;
  };
  /** For an unknown key, point at the key itself. */
  const keyAt = (path: readonly PropertyKey[], key: string): number | undefined => {
    const parent = path.length ? doc.getIn(path as unknown[], true) : doc.contents;
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
    const keyNode = pair?.key as YamlNode | undefined;
    return keyNode?.range?.[0];
  };

  const raw: unknown = doc.toJS() ?? {};
  const parsed = PolicyFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          errors.push({
            code: 'POLICY_SCHEMA',
            path: dotted([...issue.path, key]),
            message: `unknown field "${key}" (expected one of the documented fields)`,
            ...at(keyAt(issue.path, key)),
          });
        }
        continue;
      }
      errors.push({
        code: 'POLICY_SCHEMA',
        path: dotted(issue.path),
        message: issue.message,
        ...at(nodeAt(issue.path)?.range?.[0]),
      });
    }
    return { errors, warnings: [] };
  }

  const value = parsed.data;
  const warnings: PolicyIssue[] = [];
  for (const list of ['allow', 'deny'] as const) {
    const seen = new Set<string>();
    value[list].forEach((rule, i) => {
      if (seen.has(rule.id))
        errors.push({
          code: 'POLICY_DUPLICATE_ID',
          path: `${list}[${i}].id`,
          message: `rule id "${rule.id}" is used twice in ${list}`,
          ...at(nodeAt([list, i, 'id'])?.range?.[0]),
        });
      seen.add(rule.id);
      if (list === 'allow' && rule.args === undefined && rule.args_regex === undefined) {
        warnings.push({
          code: 'POLICY_BROAD_ALLOW',
          path: `allow[${i}]`,
          message: `allow rule "${rule.id}" has no args pattern: it allows every use of ${JSON.stringify(rule.command)}`,
          ...at(nodeAt([list, i])?.range?.[0]),
        });
      }
    });
  }
  return errors.length > 0 ? { errors, warnings } : { value, errors, warnings };
}

export async function readPolicyFile(path: string): Promise<PolicyLoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      errors: [
        {
          code: 'POLICY_YAML',
          path: '',
          file: path,
          message: `cannot read policy file: ${(error as Error).message}`,
        },
      ],
      warnings: [],
    };
  }
  return parsePolicyFile(text, path);
}
