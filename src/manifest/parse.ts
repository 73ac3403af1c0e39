/**
 * parseManifest: text in, `{value, errors, warnings}` out, never a throw. YAML problems, schema
 * problems and warnings are all collected and returned together, ordered by position, so one run
 * shows the operator everything to fix.
 */
import { basename } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { sortIssues } from './issues.js';
import type { ManifestIssue, ManifestResult } from './issues.js';
import { Locator } from './positions.js';
import { AiModuleSchema } from './schema.js';
import { manifestWarnings } from './warnings.js';
import { unresolvedAliasIssues, yamlErrorIssues } from './yaml-errors.js';
import { translateIssue } from './zod-issues.js';

/** Top-level keys with this prefix are the user's own (anchors for reuse, tool settings) and skipped. */
export const EXTENSION_PREFIX = 'x-';

/** Alias expansions allowed when converting to plain values: defuses "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;

const whole = (code: ManifestIssue['code'], message: string, line = 1, column = 1): ManifestIssue => ({
  code,
  path: '',
  line,
  column,
  message,
});

const failed = (errors: ManifestIssue[], warnings: ManifestIssue[] = []): ManifestResult => ({
  value: null,
  errors: sortIssues(errors),
  warnings: sortIssues(warnings),
});

export function parseManifest(text: string, file: string): ManifestResult {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return failed([
      whole('not_text', 'the file contains binary data (a NUL byte); a manifest must be UTF-8 text'),
    ]);
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineCounter();
  // merge: true accepts `<<: *defaults`, which operators reuse from compose files.
  const doc = parseDocument(source, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    merge: true,
  });
  const locator = new Locator(doc, lines);
  const yamlIssues = [...yamlErrorIssues(doc, locator), ...unresolvedAliasIssues(doc, locator)];
  // A syntax error leaves the tree unreliable (the rest of the file may be swallowed into one
  // string), so schema errors would be noise; duplicate keys leave a sound tree and do not stop us.
  if (yamlIssues.some((issue) => issue.code === 'yaml_syntax')) return failed(yamlIssues);

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return failed([
      ...yamlIssues,
      whole(
        'empty_file',
        `${basename(file)} is empty; start from \`automatos init\` or add at least: name, version, description, module_type, build_command, start_command`,
      ),
    ]);
  }
  if (!isMap(root)) {
    const { line, column } = locator.locate([]);
    const kind = describeNode(root);
    return failed([
      ...yamlIssues,
      whole(
        'not_a_mapping',
        `the manifest must be a mapping of fields (name: ..., version: ...), got ${kind}`,
        line,
        column,
      ),
    ]);
  }

  const data = toPlain(doc);
  if (data === null) {
    return failed([
      ...yamlIssues,
      whole(
        'too_many_aliases',
        `the document expands more than ${MAX_ALIAS_COUNT} aliases; write the values out instead of nesting aliases`,
      ),
    ]);
  }
  const userData = Object.fromEntries(
    Object.entries(data).filter(([key]) => !key.startsWith(EXTENSION_PREFIX)),
  );

  const parsed = AiModuleSchema.safeParse(userData, { reportInput: true });
  const errors = [
    ...yamlIssues,
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => translateIssue(issue, locator))),
  ];
  if (!parsed.success || errors.length > 0) return failed(errors);

  const present = (path: PropertyKey[]) => doc.hasIn(path.map(String));
  return {
    value: parsed.data,
    errors: [],
    warnings: sortIssues(manifestWarnings(parsed.data, locator, present)),
  };
}

/** Plain JS values, or null when alias expansion exceeds the limit (the library throws then). */
function toPlain(doc: Document): Record<string, unknown> | null {
  try {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return null;
  }
}

function describeNode(node: unknown): string {
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string'
      ? `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`
      : `the value ${String(v)}`;
  }
  return 'a list';
}
