import type { Language } from '../../../detect/index.js';
import type { ModuleTypeHint, StackHint } from './types.js';

interface HintRow {
  pattern: RegExp;
  hint: Omit<StackHint, 'word'>;
}

const VERSION = String.raw`(?:\s*v?\d+(?:\.\d+){0,2}\b)?`;
const lang = (language: Language, pattern: string, flags = 'gi'): HintRow => ({
  pattern: new RegExp(`\\b(?:${pattern})\\b${VERSION}`, flags),
  hint: { language },
});
const fw = (language: Language, framework: string, pattern: string): HintRow => ({
  pattern: new RegExp(`\\b(?:${pattern})\\b`, 'gi'),
  hint: { language, framework },
});
const kind = (moduleType: ModuleTypeHint | undefined, pattern: string): HintRow => ({
  pattern: new RegExp(`\\b(?:${pattern})\\b`, 'gi'),
  hint: moduleType === undefined ? {} : { moduleType },
});
const server = (language: Language, name: string): HintRow => ({
  pattern: new RegExp(`\\b${name}\\b`, 'gi'),
  hint: { language, server: name },
});

/**
 * Words that name a stack, with what each implies. Framework ids are detection's own
 * (`src/detect/providers/*`), so a hint can be compared with a candidate directly. Longer phrases
 * come first so "Ruby on Rails" is one hint, not "Ruby" plus "Rails".
 */
const STACK_HINTS: readonly HintRow[] = [
  fw('ruby', 'rails', String.raw`ruby\s+on\s+rails|rails`),
  fw('python', 'flask', 'flask'),
  fw('python', 'fastapi', String.raw`fast\s?api`),
  fw('python', 'django', 'django'),
  fw('python', 'streamlit', 'streamlit'),
  fw('node', 'express', String.raw`express(?:\.?js)?`),
  fw('node', 'next', String.raw`next\.?js`),
  fw('node', 'nestjs', String.raw`nest\.?js`),
  fw('node', 'fastify', 'fastify'),
  fw('node', 'koa', 'koa'),
  fw('node', 'nuxt', String.raw`nuxt(?:\.?js)?`),
  fw('node', 'remix', 'remix'),
  fw('node', 'astro', 'astro'),
  fw('ruby', 'sinatra', 'sinatra'),
  fw('php', 'laravel', 'laravel'),
  fw('php', 'symfony', 'symfony'),
  fw('go', 'gin', 'gin'),
  fw('rust', 'axum', 'axum'),
  fw('rust', 'actix', String.raw`actix(?:[- ]web)?`),
  fw('java', 'spring-boot', String.raw`spring(?:\s+boot)?`),
  {
    pattern:
      /\bstatic\s+(?:web\s*)?(?:site|website|html|pages?|files|content)\b|\bhtml\s+(?:site|pages?)\b/gi,
    hint: { language: 'static', moduleType: 'web_app' },
  },
  { pattern: /\bprocfile\b/gi, hint: { file: 'Procfile' } },
  server('python', 'gunicorn'),
  server('python', 'uvicorn'),
  server('ruby', 'puma'),
  lang('python', 'python3?'),
  lang('node', String.raw`node(?:\.?js)?|javascript|typescript|react`),
  lang('go', 'Go|GO|golang|Golang', 'g'),
  lang('ruby', 'ruby'),
  lang('php', 'php'),
  lang('rust', 'rust'),
  lang('java', 'java|kotlin'),
  kind(
    'web_app',
    String.raw`web\s*(?:app(?:lication)?|server|site|service|ui|frontend)s?|website|frontend|dashboard`,
  ),
  kind(
    'api',
    String.raw`(?:rest(?:ful)?\s+|http\s+|json\s+|graphql\s+)?apis?(?:\s+(?:server|service|backend))?|backend`,
  ),
  kind('microservice', 'micro-?services?'),
  kind('data_pipeline', String.raw`(?:data|etl)\s+pipelines?|etl|pipeline`),
  kind(
    'ml_model',
    String.raw`(?:ml|machine[- ]learning|ai)\s+models?|model\s+(?:server|serving)|inference\s+(?:server|api|service)`,
  ),
  kind('automation', 'bot|cli|script'),
  kind(undefined, 'apps?|applications?|servers?|services?|sites?|projects?|portals?'),
];

/** Between two hints of one phrase: "Python Flask", "Node.js and Express", "Flask/gunicorn". */
const JOINER = /^\s*(?:and|&|\+|\/|-|on|using|with)?\s*$/i;

interface StackPhrase {
  start: number;
  end: number;
  hints: StackHint[];
}

/**
 * Stack words found in the (masked) prompt, merged into phrases: "a Python Flask web server" is
 * one wish with three hints. A phrase of generic nouns only ("the app") says nothing and is dropped.
 */
export function findStackPhrases(masked: string): StackPhrase[] {
  const found: { start: number; end: number; hint: StackHint }[] = [];
  const taken = (start: number, end: number) => found.some((f) => start < f.end && end > f.start);
  for (const row of STACK_HINTS) {
    for (const m of masked.matchAll(row.pattern)) {
      const end = m.index + m[0].trimEnd().length;
      if (!taken(m.index, end)) found.push({ start: m.index, end, hint: { word: m[0].trim(), ...row.hint } });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const phrases: StackPhrase[] = [];
  for (const f of found) {
    const last = phrases.at(-1);
    if (last && JOINER.test(masked.slice(last.end, f.start))) {
      last.end = f.end;
      last.hints.push(f.hint);
    } else {
      phrases.push({ start: f.start, end: f.end, hints: [f.hint] });
    }
  }
  return phrases
    .filter((p) => p.hints.some((h) => Object.keys(h).length > 1))
    .map((p) => withName(masked, p));
}

/** "the ledger API": a single word between a determiner and the phrase is the app's name. */
const NAMED = /\b(?:the|my|our|this|your|their|a|an)\s+([A-Za-z][\w.-]*)\s+$/i;

function withName(masked: string, phrase: StackPhrase): StackPhrase {
  const name = NAMED.exec(masked.slice(0, phrase.start));
  const word = name?.[1];
  if (!name || !word) return phrase;
  return { ...phrase, start: name.index + name[0].indexOf(word, name[0].search(/\s/)) };
}
