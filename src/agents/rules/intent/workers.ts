import type { Matcher } from './types.js';

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  sixteen: 16,
};
const COUNT = String.raw`(\d{1,4}|${Object.keys(NUMBER_WORDS).join('|')})`;

const read = (m: RegExpExecArray) => {
  const raw = (m[1] ?? '').toLowerCase();
  return { kind: 'workers' as const, count: NUMBER_WORDS[raw] ?? Number(raw) };
};

export const WORKER_MATCHERS: readonly Matcher[] = [
  {
    pattern: new RegExp(
      String.raw`\b${COUNT}\s+(?:gunicorn\s+|uvicorn\s+|puma\s+|web\s+|worker\s+)?(?:workers?|worker\s+processes|processes)\b`,
      'gi',
    ),
    read,
  },
  { pattern: /\b(?:workers?|concurrency)\s*(?:=|:|of|to)\s*(\d{1,4})\b/gi, read },
];
