import type { z } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Problems listed back to the model and to the operator; more than this is noise to both. */
const MAX_PROBLEMS = 12;

/**
 * A model's reply as a value of the schema. Models wrap JSON in Markdown fences or a sentence
 * despite being told not to; the outermost `{…}` is taken, and everything else must be right.
 * `extra` adds checks the schema cannot express (e.g. "requirements must not be empty").
 */
export function checkReply<S extends z.ZodType>(
  text: string,
  schema: S,
  extra: (value: z.output<S>) => string[] = () => [],
): Checked<z.output<S>> {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0) {
    return { ok: false, problems: ['the reply holds no JSON object; answer with one JSON object only'] };
  }
  let data: unknown;
  try {
    // Without a closing brace the answer was cut off; parsing the rest says so precisely.
    data = JSON.parse(end > start ? text.slice(start, end + 1) : text.slice(start));
  } catch (error) {
    return { ok: false, problems: [`the reply is not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, problems: summarizeIssues(parsed.error.issues) };
  const problems = extra(parsed.data);
  return problems.length === 0 ? { ok: true, value: parsed.data } : { ok: false, problems };
}

/** `module.name: must be DNS-label-safe…`, one line per issue, at most MAX_PROBLEMS. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines = issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const where = path === '' ? '(root)' : path.replace(/^\./, '');
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    return `${where}: ${issue.message}${keys}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > MAX_PROBLEMS
    ? [...unique.slice(0, MAX_PROBLEMS), `… and ${unique.length - MAX_PROBLEMS} more`]
    : unique;
}
