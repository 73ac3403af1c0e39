import type { CandidateSummary } from '../../src/agents/index.js';
import type { AiModule } from '../../src/manifest/index.js';

/** Program names without `.venv/bin/` or `./`, and without numbers, flags and punctuation. */
function tokens(command: string | null): Set<string> {
  return new Set(
    (command ?? '')
      .split(/\s+/)
      .map((t) => t.replace(/^(?:\.venv\/bin\/|\.\/)/, ''))
      .filter((t) => /[a-z]/i.test(t) && !t.startsWith('-')),
  );
}

const LANGUAGE_WORDS: readonly [RegExp, string][] = [
  [/\b(python3?|pip|gunicorn|uvicorn|flask|manage\.py)\b/, 'python'],
  [/\b(node|npm|npx|pnpm|yarn|bun)\b/, 'node'],
  [/\bgo (build|run)\b/, 'go'],
  [/\b(bundle|ruby|rails|rackup|puma)\b/, 'ruby'],
  [/\bphp\b/, 'php'],
  [/\bcargo\b/, 'rust'],
  [/\b(java|mvn|gradle)\b/, 'java'],
];

/**
 * A plan does not name its stack, so the eval infers it: the detection candidate whose start
 * command shares the most words with the module's (any provider may add flags or drop `.venv/bin/`),
 * else the language its commands' programs belong to.
 */
export function stackOf(
  module: AiModule,
  candidates: readonly CandidateSummary[],
): { language: string | null; framework: string | null } {
  const start = tokens(module.start_command);
  let best: CandidateSummary | null = null;
  let bestShared = 0;
  for (const c of candidates) {
    const shared = [...tokens(c.start)].filter((t) => start.has(t)).length;
    if (shared > bestShared) [best, bestShared] = [c, shared];
  }
  if (best) return { language: best.language, framework: best.framework };
  const text = `${module.start_command} ${module.build_command}`;
  return { language: LANGUAGE_WORDS.find(([re]) => re.test(text))?.[1] ?? null, framework: null };
}
