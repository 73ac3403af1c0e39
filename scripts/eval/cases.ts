import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const TextCheck = z.union([
  z.strictObject({ contains: z.array(z.string()).min(1) }),
  z.strictObject({ equals: z.string() }),
]);
export type TextCheck = z.infer<typeof TextCheck>;

/**
 * What one case expects of a plan. Every present field is one property; `met`/`unmet` entries are
 * matched as case-insensitive substrings of requirement texts, one property each.
 */
const ExpectSchema = z.strictObject({
  /** The planner must refuse with this AutomatosError code; nothing else is checked. */
  error: z.string().optional(),
  language: z.string().optional(),
  framework: z.string().nullable().optional(),
  start: TextCheck.optional(),
  port: z.number().int().optional(),
  test: TextCheck.nullable().optional(),
  env: z.record(z.string(), z.string()).optional(),
  /** Dotted manifest paths and their values, e.g. `"security.enable_auth": true`. */
  module: z.record(z.string(), z.unknown()).optional(),
  /** Strings that must appear nowhere in the output (secrets from the prompt). */
  absent: z.array(z.string()).optional(),
  met: z.array(z.string()).default([]),
  unmet: z.array(z.string()).default([]),
});
export type Expectation = z.infer<typeof ExpectSchema>;

const CaseSchema = z.strictObject({ prompt: z.string().min(1), expect: ExpectSchema });

export interface EvalCase {
  name: string;
  /** The mini-repository, `<case>/repo/`. */
  dir: string;
  prompt: string;
  expect: Expectation;
}

/** Every `<root>/<name>/case.json` with its `repo/` beside it, sorted by name. */
export function loadCases(root: string): EvalCase[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const file = join(root, name, 'case.json');
      const parsed = CaseSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) {
        throw new Error(
          `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      }
      return { name, dir: join(root, name, 'repo'), ...parsed.data };
    });
}
