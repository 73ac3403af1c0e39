/**
 * Turns zod's issues into operator messages with positions. Zod's defaults ("Invalid input: expected
 * number, received string") say what the validator saw; these say what the field needs and how to
 * fix it: `health_check.interval: must be an integer between 1 and 86400, got "30s"`.
 */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { REQUIRED_EXAMPLES } from './docs.js';
import { describeValue, formatPath } from './issues.js';
import type { ManifestIssue, ManifestIssueCode } from './issues.js';
import type { Locator, Target } from './positions.js';
import { describeExpected, fieldsAt, hasDefault, schemaAt } from './schema-info.js';

type ZodIssue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export function translateIssue(issue: ZodIssue, locator: Locator): ManifestIssue[] {
  const at = (path: Path, target: Target, code: ManifestIssueCode, message: string): ManifestIssue => ({
    code,
    path: formatPath(path),
    ...locator.locate(path, target),
    message,
  });
  const path = issue.path;
  const expected = describeExpected(schemaAt(path));
  // Numbers are shown as written (`1.0`, `1e400`) rather than as JavaScript prints them (`1`).
  const got = (typeof issue.input === 'number' ? locator.sourceOf(path) : null) ?? describeValue(issue.input);

  // An absent field fails as "expected string" or "expected one of …"; both mean "missing".
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    const example = REQUIRED_EXAMPLES[formatPath(path)] ?? `${String(path.at(-1))}: <${expected}>`;
    return [at(path, 'parent', 'missing_required', `missing required field; add it, e.g. ${example}`)];
  }

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => at([...path, key], 'key', 'unknown_key', unknownKey(key, path)));
    case 'invalid_type':
      return [at(path, 'value', 'invalid_type', wrongType(path, issue.input, expected, got))];
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'string' && issue.code === 'too_small') {
        return [at(path, 'value', 'invalid_value', `must not be empty, got ${got}; ${fillIn(path)}`)];
      }
      if (issue.origin === 'string' && issue.code === 'too_big') {
        const length = typeof issue.input === 'string' ? issue.input.length : 0;
        const message = `must be at most ${String(issue.maximum)} characters, got ${length}`;
        return [at(path, 'value', 'out_of_range', message)];
      }
      return [at(path, 'value', 'out_of_range', `must be ${expected}, got ${got}`)];
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = typeof issue.input === 'string' ? didYouMean(issue.input, values) : null;
      const hint = guess === null ? '' : `; did you mean "${guess}"?`;
      return [at(path, 'value', 'invalid_value', `must be one of: ${values.join(', ')}, got ${got}${hint}`)];
    }
    case 'invalid_format':
      // Every pattern in schema.ts carries its own human message ("must be a semantic version…").
      return [at(path, 'value', 'invalid_format', `${issue.message}, got ${got}`)];
    case 'invalid_key': {
      const reason = issue.issues[0]?.message ?? 'is not a valid name';
      return [at(path, 'key', 'invalid_key', `invalid name ${got}: ${reason}`)];
    }
    case 'invalid_union':
      return [at(path, 'value', 'invalid_type', `must be ${expected}, got ${got}`)];
    case 'custom': {
      const code = (issue.params?.['code'] as ManifestIssueCode | undefined) ?? 'invalid_value';
      return [at(path, code === 'missing_health_command' ? 'parent' : 'value', code, issue.message)];
    }
    default:
      return [at(path, 'value', 'invalid_value', `is not valid, got ${got}`)];
  }
}

function unknownKey(key: string, parent: Path): string {
  const allowed = fieldsAt(parent);
  const guess = didYouMean(key, allowed);
  if (guess !== null) return `unknown field "${key}"; did you mean "${guess}"?`;
  if (parent.length === 0) {
    return `unknown field "${key}"; remove it, or name it "x-${key}" to keep custom data the validator ignores`;
  }
  return `unknown field "${key}"; allowed fields are: ${allowed.join(', ')}`;
}

/** Type errors, with the fix spelled out for the common YAML surprises (`version: 1.0` is a number). */
function wrongType(path: Path, input: unknown, expected: string, got: string): string {
  if (input === null) return `must be ${expected}, got an empty value; ${fillIn(path)}`;
  if (expected === 'a string' && (typeof input === 'number' || typeof input === 'boolean')) {
    return `must be ${expected}, got ${got} (YAML reads it as a ${typeof input}); quote it: "${got}"`;
  }
  if (expected.startsWith('a list') && !Array.isArray(input)) {
    const item = typeof input === 'string' ? JSON.stringify(input) : '"..."';
    return `must be ${expected}, got ${got}; write it as a list, e.g. [${item}]`;
  }
  return `must be ${expected}, got ${got}`;
}

/** How to fix an empty value: list items and fields with defaults may go; required fields need one. */
function fillIn(path: Path): string {
  if (typeof path.at(-1) === 'number') return 'give a value or remove the item';
  const schema = schemaAt(path);
  return schema !== null && hasDefault(schema)
    ? 'give a value or remove the line to use the default'
    : 'give a value';
}
