/**
 * DATA_DIR/config.yaml: the operator's settings file. This module reads its `llm:` section; other
 * top-level sections belong to other modules and are left alone. Every problem is reported as
 * `FILE:LINE:COL: llm.field: message`, all of them at once, the way manifest errors are.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { AutomatosError } from '../core/index.js';
import { redactCredentials } from '../security/index.js';
import { LLM_SETTING_NAMES, LlmSectionSchema, type LlmSection } from './config-schema.js';

export const CONFIG_FILE = 'config.yaml';

/** Alias expansions allowed when reading: defuses "billion laughs" documents, as for manifests. */
const MAX_ALIAS_COUNT = 100;

interface Problem {
  offset: number;
  path: string;
  message: string;
}

/** The `llm:` section, `{}` when the file has none, or null when there is no file at all. */
export function readLlmSection(file: string): LlmSection | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AutomatosError('AUT_CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`, {
      details: { file },
      cause: error,
    });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const fail = (problems: Problem[]): never => {
    // Ordered by position, so the list reads top to bottom like the file.
    const shown = [...problems]
      .sort((a, b) => a.offset - b.offset)
      .map((p) => {
        const { line, col } = lines.linePos(p.offset);
        return `${file}:${line}:${col}: ${p.path === '' ? '(root)' : p.path}: ${p.message}`;
      });
    throw new AutomatosError('AUT_CONFIG_INVALID', `${file} is not valid:\n${shown.join('\n')}`, {
      details: { file, errors: shown },
    });
  };

  const whole = (message: string): never => fail([{ offset: 0, path: '', message }]);
  if (doc.errors.length > 0) {
    return fail(doc.errors.map((e) => ({ offset: e.pos[0], path: '', message: yamlMessage(e.message) })));
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) return whole('must be a mapping of sections, e.g. "llm:" with settings under it');
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch {
    return whole(`expands more than ${MAX_ALIAS_COUNT} aliases; write the values out instead`);
  }
  const section = data['llm'];
  if (section === undefined || section === null) return {};
  const parsed = LlmSectionSchema.safeParse(section);
  if (!parsed.success) return fail(parsed.error.issues.flatMap((issue) => problemsOf(doc, issue, section)));
  if (parsed.data.api_key !== undefined) refuseSharedKeyFile(file, doc, fail);
  return parsed.data;
}

function problemsOf(doc: Document, issue: z.core.$ZodIssue, section: unknown): Problem[] {
  const path = ['llm', ...issue.path.map(String)];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      offset: Math.max(keyOffset(doc, path, key), 0),
      path: [...path, key].join('.'),
      message: `unknown setting "${key}"; the llm section takes: ${LLM_SETTING_NAMES.join(', ')}`,
    }));
  }
  // The key is never echoed back; other values are, so the operator sees what was read.
  const field = issue.path[0];
  const input = issue.path.length === 0 ? section : (section as Record<string, unknown>)[String(field)];
  const got =
    field === 'api_key' || input === undefined ? '' : `, got ${redactCredentials(JSON.stringify(input))}`;
  const message =
    issue.path.length === 0 ? 'must be a mapping of settings (provider, model, …)' : issue.message;
  return [{ offset: valueOffset(doc, path), path: path.join('.'), message: `${message}${got}` }];
}

/** A key in a file others can read is no secret: refuse it, as the master key file is refused. */
function refuseSharedKeyFile(file: string, doc: Document, fail: (problems: Problem[]) => never): void {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  fail([
    {
      offset: valueOffset(doc, ['llm', 'api_key']),
      path: 'llm.api_key',
      message:
        `the file is readable by other users (mode ${mode.toString(8).padStart(3, '0')}); ` +
        `run chmod 600 ${file}, or set AUTOMATOS_LLM_API_KEY instead`,
    },
  ]);
}

function valueOffset(doc: Document, path: string[]): number {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return node.range[0];
    const parentKey = keyOffset(doc, path.slice(0, n - 1), path[n - 1] ?? '');
    if (parentKey >= 0) return parentKey;
  }
  return 0;
}

function keyOffset(doc: Document, parentPath: string[], key: string): number {
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  if (!isMap(parent)) return -1;
  const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
  return (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0] ?? -1;
}

function yamlMessage(message: string): string {
  return `YAML syntax error: ${(message.split('\n')[0] ?? message).replace(/\.$/, '')}`;
}
