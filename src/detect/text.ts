import type { Evidence } from './types.js';

/** A regex match with its 1-based line number, so evidence can say file:line. */
export interface LineMatch {
  line: number;
  text: string;
  match: RegExpMatchArray;
}

export function matchLines(text: string, pattern: RegExp): LineMatch[] {
  const out: LineMatch[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = line.match(pattern);
    if (match) out.push({ line: index + 1, text: line.trim(), match });
  });
  return out;
}

export function firstLine(text: string, pattern: RegExp): LineMatch | null {
  return matchLines(text, pattern)[0] ?? null;
}

export function evidence(file: string, detail: string, weight: number, line?: number): Evidence {
  return line === undefined ? { file, detail, weight } : { file, line, detail, weight };
}

/** `file:line` or `file`, the way sources are written everywhere in detection. */
export function where(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}

/** Shortens a code line for a source string, so `automatos detect` stays one line per field. */
export function snippet(text: string, max = 80): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}
