/**
 * The shape of a manifest problem and how it is printed. Issues are data with a stable `code` so
 * the CLI, the API and tests can match on them; `message` is written for the operator.
 */
import type { AiModule } from './schema.js';

export type ManifestIssueCode =
  | 'yaml_syntax'
  | 'duplicate_key'
  | 'empty_file'
  | 'not_text'
  | 'file_too_large'
  | 'not_a_mapping'
  | 'unknown_key'
  | 'missing_required'
  | 'invalid_type'
  | 'invalid_value'
  | 'invalid_format'
  | 'out_of_range'
  | 'invalid_key'
  | 'too_many_aliases'
  | 'missing_health_command'
  // warnings
  | 'timeout_exceeds_interval'
  | 'secret_in_environment'
  | 'duplicate_entry'
  | 'unsupported_target'
  | 'unused_health_command'
  | 'ambiguous_manifest_file';

export interface ManifestIssue {
  code: ManifestIssueCode;
  /** Dotted field path (`health_check.interval`, `secrets[0]`); '' for the document as a whole. */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, counted in characters (a tab counts as one). */
  column: number;
  message: string;
}

export interface ManifestResult {
  /** The normalized manifest with every default filled in, or null when there is any error. */
  value: AiModule | null;
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

export type Severity = 'error' | 'warning';

/**
 * What PATH prints as when an issue concerns the whole document rather than a field (a YAML syntax
 * error, an empty file, a root that is not a mapping). Keeping a placeholder, rather than dropping
 * the segment, keeps every line splittable into exactly five parts on ": ".
 */
export const ROOT_PATH_LABEL = '(root)';

/** `FILE:LINE:COL: error: FIELD.PATH: message`, the shape compilers use so editors can jump to it. */
export function formatIssue(file: string, issue: ManifestIssue, severity: Severity = 'error'): string {
  const path = issue.path === '' ? ROOT_PATH_LABEL : issue.path;
  return `${file}:${issue.line}:${issue.column}: ${severity}: ${path}: ${issue.message}`;
}

/** Every error then every warning, each already ordered by position. */
export function formatResult(file: string, result: Pick<ManifestResult, 'errors' | 'warnings'>): string[] {
  return [
    ...result.errors.map((issue) => formatIssue(file, issue, 'error')),
    ...result.warnings.map((issue) => formatIssue(file, issue, 'warning')),
  ];
}

/** Plain segments join with dots; array indexes and keys that would be ambiguous get brackets. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const text = String(segment);
      if (/^[A-Za-z0-9_-]+$/.test(text)) out += out === '' ? text : `.${text}`;
      else out += `[${JSON.stringify(text)}]`;
    }
  }
  return out;
}

/** Order by position, then path, so output is stable and reads top to bottom like the file. */
export function sortIssues(issues: ManifestIssue[]): ManifestIssue[] {
  // Zod can report one bad value twice (a huge port fails both "integer" and "at most"); say it once.
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return unique.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

/** How a received value is shown after "got": quoted strings, short, never a whole mapping dump. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}
