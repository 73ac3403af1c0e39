/** Replaces consumed spans so later matchers cannot read across them; offsets stay the same. */
export const MASK = '\u0001';

/** Prompts are read up to this length; the rest becomes one unmet requirement, never dropped. */
export const MAX_PROMPT_CHARS = 4000;

/** One line, single spaces, typographic quotes made plain, so patterns stay simple. */
export function normalizePrompt(prompt: string): string {
  return prompt
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

export function maskSpan(text: string, start: number, end: number): string {
  return `${text.slice(0, start)}${MASK.repeat(end - start)}${text.slice(end)}`;
}

/**
 * A negation right before a match, within its clause: "without tests", "don't run the tests",
 * "no health check", "skip the tests". Returns where the negation starts, or null.
 */
const NEGATION =
  /\b(?:without|no|not|never|skip|skipping|disable|disabled|don't|dont|do not|no need for)\s+(?:(?:run|running|use|using|add|adding|include|including|enable|enabling|any|the|a|an|to|need)\s+){0,3}$/i;

export function negationStart(text: string, start: number): number | null {
  const before = text.slice(Math.max(0, start - 48), start);
  const hit = NEGATION.exec(before);
  return hit ? start - before.length + hit.index : null;
}

/** Words that carry no wish of their own ("Deploy the app to the server please"). */
const FILLER: ReadonlySet<string> = new Set(
  (
    "a an the this that these those it its it's my our your their me us we i you they " +
    'deploy deploys deployed deploying deployment release ship publish host hosted hosting launch ' +
    'please kindly just simply also then now quickly here there both all some each ' +
    'to for of in on at by from into onto as is are be been being should must will would can could may ' +
    "want wants need needs like make sure let lets let's get have has had do does done " +
    'set setup up run runs running start started use using used serve serves serving ' +
    'app apps application applications service services server servers project repo repository code ' +
    'new simple small tiny production prod live target machine box instance version one ' +
    'and or with that which who so but while plus including include includes'
  ).split(' '),
);

/** Words of a leftover fragment, lowercase, without punctuation. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9'._/-]+/)
    .map((w) => w.replace(/^[._/'-]+|[._/'-]+$/g, ''))
    .filter((w) => w !== '');
}

export function hasContent(text: string): boolean {
  return wordsOf(text).some((w) => !FILLER.has(w));
}

/** Where leftover text is cut into fragments: punctuation, masks and joining words. */
const FRAGMENT_BREAK = new RegExp(
  `[${MASK},;:!?()]+|\\.(?=\\s|$)|\\b(?:and|with|that|which|who|then|also|plus|as well as|including|while|but)\\b`,
  'gi',
);

interface Span {
  start: number;
  end: number;
}

/** The span of `text[from, to)` from its first to its last word that is not filler, or null. */
export function contentSpan(text: string, from: number, to: number): Span | null {
  const words = [...text.slice(from, to).matchAll(/\S+/g)].filter((w) => hasContent(w[0]));
  const first = words[0];
  const last = words.at(-1);
  if (!first || !last) return null;
  return { start: from + first.index, end: from + last.index + last[0].length };
}

/** The unconsumed pieces of the masked prompt that still say something, trimmed of filler. */
export function leftovers(masked: string): Span[] {
  const out: Span[] = [];
  let from = 0;
  const push = (to: number): void => {
    const span = contentSpan(masked, from, to);
    if (span) out.push(span);
  };
  for (const hit of masked.matchAll(FRAGMENT_BREAK)) {
    push(hit.index);
    from = hit.index + hit[0].length;
  }
  push(masked.length);
  return out;
}
