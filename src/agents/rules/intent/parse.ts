import { AUTH_MATCHERS, FEATURE_MATCHERS } from './auth.js';
import { BEHAVIOUR } from './behaviour.js';
import { COMMAND_MATCHERS } from './commands.js';
import { ENV_MATCHERS } from './env.js';
import { HEALTH_MATCHERS } from './health.js';
import { LOGGING_MATCHERS } from './logging.js';
import { DEPLOY_MATCHERS, PLATFORM_MATCHERS } from './platform.js';
import { PORT_MATCHERS } from './port.js';
import { findStackPhrases } from './stack.js';
import { TEST_MATCHERS } from './tests.js';
import {
  MAX_PROMPT_CHARS,
  contentSpan,
  hasContent,
  leftovers,
  maskSpan,
  negationStart,
  normalizePrompt,
} from './text.js';
import type { Intent, IntentData, Matcher } from './types.js';
import { WORKER_MATCHERS } from './workers.js';

/**
 * The order is the precedence: quoted commands and `NAME=value` first (their text is arbitrary),
 * then the wishes with numbers and paths, then words. Each match masks its span, so a later table
 * never reads a word an earlier one already explained.
 */
const MATCHERS: readonly Matcher[] = [
  ...COMMAND_MATCHERS,
  ...ENV_MATCHERS,
  ...PORT_MATCHERS,
  ...HEALTH_MATCHERS,
  ...WORKER_MATCHERS,
  ...TEST_MATCHERS,
  ...AUTH_MATCHERS,
  ...FEATURE_MATCHERS,
  ...LOGGING_MATCHERS,
  ...DEPLOY_MATCHERS,
  ...PLATFORM_MATCHERS,
];

/**
 * Reads every wish in a task prompt. Nothing is dropped: a piece no table explains comes back as
 * an `unknown` intent, and text past the length cap as one more.
 */
export function parsePrompt(prompt: string): Intent[] {
  const normalized = normalizePrompt(prompt);
  const text = normalized.slice(0, MAX_PROMPT_CHARS);
  let masked = text;
  const intents: Intent[] = [];

  const take = (data: IntentData, rawStart: number, rawEnd: number, negatable = true): void => {
    const raw = text.slice(rawStart, rawEnd);
    const end = rawStart + raw.trimEnd().length;
    let start = rawStart + (raw.length - raw.trimStart().length);
    if (end <= start) return;
    const negation = negatable ? negationStart(masked, start) : null;
    if (negation !== null) start = negation;
    intents.push({ ...data, text: text.slice(start, end), start, end, negated: negation !== null });
    masked = maskSpan(masked, start, end);
  };

  for (const matcher of MATCHERS) {
    for (const m of [...masked.matchAll(matcher.pattern)]) {
      const data = matcher.read(m);
      if (data) take(data, m.index, m.index + m[0].length);
    }
  }
  for (const phrase of findStackPhrases(masked)) {
    take({ kind: 'stack', hints: phrase.hints }, phrase.start, phrase.end);
  }
  for (const m of [...masked.matchAll(BEHAVIOUR)]) {
    const verb = /^\S+/.exec(m[0])?.[0] ?? '';
    if (hasContent(m[0].slice(verb.length)))
      take({ kind: 'behaviour' }, m.index, m.index + m[0].length, false);
  }
  for (const span of leftovers(masked)) take({ kind: 'unknown' }, span.start, span.end, false);
  if (normalized.length > text.length) {
    const rest = contentSpan(normalized, text.length, normalized.length);
    if (rest)
      intents.push({
        kind: 'unknown',
        text: normalized.slice(rest.start, rest.end),
        ...rest,
        negated: false,
      });
  }
  return intents.sort((a, b) => a.start - b.start);
}
