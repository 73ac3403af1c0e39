import { secretForms, type SecretForm } from './secret-forms.js';
import { REDACTED } from './sensitive.js';

/**
 * Secret values shorter than this are not redacted by value: replacing every "ab" in a log would
 * destroy it and, by the gaps, reveal the secret anyway. Such secrets are too weak to protect.
 */
export const MIN_SECRET_LENGTH = 4;

/** Alternatives per regular expression: V8 compiles a few hundred quickly; more are split. */
const MAX_ALTERNATIVES = 400;

const B64_CHAR = /[A-Za-z0-9+/_-]/;
const B64_PERCENT = /^%2[BbFf]$/;
const PADDING = /^(?:={1,2}|(?:%3[Dd]){1,2})/;

type Edges = Pick<SecretForm, 'lead' | 'tail'>;

/** A base64 core as matched (any alphabet, maybe percent-encoded) back in the std alphabet. */
const stdAlphabet = (text: string): string =>
  text
    .replace(/%2[Bb]/g, '+')
    .replace(/%2[Ff]/g, '/')
    .replace(/-/g, '+')
    .replace(/_/g, '/');

/**
 * Every form of a set of secrets, compiled into as few regular expressions as possible (one for a
 * few hundred forms): a text is scanned once however many secrets and encodings there are.
 */
export class SecretMatcher {
  private readonly patterns: RegExp[];
  private readonly cores = new Map<string, Edges>();

  constructor(secrets: readonly string[]) {
    const forms = [...new Set(secrets)]
      .filter((s) => s.length >= MIN_SECRET_LENGTH)
      .flatMap(secretForms)
      // At one position the first alternative that matches wins: the longest goes first.
      .sort((a, b) => b.length - a.length);
    for (const form of forms) {
      if (form.core !== undefined) this.cores.set(form.core, { lead: form.lead, tail: form.tail });
    }
    this.patterns = [];
    for (let i = 0; i < forms.length; i += MAX_ALTERNATIVES) {
      const sources = forms.slice(i, i + MAX_ALTERNATIVES).map((f) => f.source);
      this.patterns.push(new RegExp(sources.join('|'), 'g'));
    }
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** Each occurrence replaced by [REDACTED]; overlapping occurrences become one. */
  redact(text: string): string {
    if (this.patterns.length === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const ranges = this.ranges(text);
    if (ranges.length === 0) return text;
    let out = '';
    let at = 0;
    for (const [start, end] of ranges) {
      out += text.slice(at, start) + REDACTED;
      at = end;
    }
    return out + text.slice(at);
  }

  /** Sorted, merged [start, end) ranges of every match, overlapping matches included. */
  private ranges(text: string): [number, number][] {
    const found: [number, number][] = [];
    for (const pattern of this.patterns) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        found.push(this.widen(text, m.index, m.index + m[0].length, m[0]));
        // Also look for a match starting inside this one (another secret overlapping it).
        pattern.lastIndex = m.index + 1;
      }
    }
    if (found.length === 0) return found;
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged: [number, number][] = [];
    for (const range of found) {
      const last = merged.at(-1);
      if (last !== undefined && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    return merged;
  }

  /** A base64 core takes the neighbours that carry bits of the secret, and any padding after it. */
  private widen(text: string, start: number, end: number, matched: string): [number, number] {
    if (this.cores.size === 0) return [start, end];
    const edges = this.cores.get(stdAlphabet(matched));
    if (edges === undefined) return [start, end];
    let from = start;
    let to = end;
    if (edges.lead === true) {
      if (from > 0 && B64_CHAR.test(text.charAt(from - 1))) from -= 1;
      else if (from >= 3 && B64_PERCENT.test(text.slice(from - 3, from))) from -= 3;
    }
    if (edges.tail === true) {
      if (B64_CHAR.test(text.charAt(to))) to += 1;
      else if (B64_PERCENT.test(text.slice(to, to + 3))) to += 3;
    }
    const padding = PADDING.exec(text.slice(to, to + 6));
    if (padding !== null) to += padding[0].length;
    return [from, to];
  }
}

const BY_LIST = new WeakMap<readonly string[], SecretMatcher>();
const BY_VALUES = new Map<string, SecretMatcher>();
const MAX_CACHED = 64;

/**
 * The compiled matcher of a list of secrets, cached: callers redact every output chunk with the
 * same list, and compiling is the expensive part. Cached by the list object and by its values.
 */
export function matcherFor(secrets: readonly string[]): SecretMatcher {
  const byList = BY_LIST.get(secrets);
  if (byList !== undefined) return byList;
  const key = JSON.stringify([...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort());
  let matcher = BY_VALUES.get(key);
  if (matcher === undefined) {
    matcher = new SecretMatcher(secrets);
    if (BY_VALUES.size >= MAX_CACHED) {
      const oldest = BY_VALUES.keys().next();
      if (oldest.done !== true) BY_VALUES.delete(oldest.value);
    }
    BY_VALUES.set(key, matcher);
  }
  BY_LIST.set(secrets, matcher);
  return matcher;
}
