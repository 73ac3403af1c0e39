/**
 * The shapes one secret value takes in logs: as typed or percent-encoded (encodeURIComponent,
 * form encoding with `+` for a space, upper or lower hex digits, any mix), hex of its UTF-8 bytes
 * (either case), and base64 (standard or url-safe alphabet, padded or not, also percent-encoded in
 * a query string) at each of the three byte alignments, so a secret inside a longer base64 blob is
 * caught too. Each shape is a regular-expression source; all of them are matched in one pass.
 */

/** Encoded forms shorter than this are not matched: they would hit unrelated text. */
export const MIN_ENCODED_LENGTH = 6;

/** One regex alternative and what a match of it stands for. */
export interface SecretForm {
  /** Regular-expression source (no flags needed). */
  source: string;
  /** Length of the form as it most often appears: longer forms are tried first at one position. */
  length: number;
  /** For base64 cores: the std-alphabet core, to recognize a match and widen it (see `edges`). */
  core?: string;
  /** The base64 character before the core carries bits of the secret too. */
  lead?: boolean;
  /** The base64 character after the core carries bits of the secret (padding may follow it). */
  tail?: boolean;
}

const ALNUM = /^[A-Za-z0-9]$/;

/** A code unit as a regex escape: safe for every character, with or without the `u` flag. */
const unit = (ch: string): string =>
  [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/** `%xy` matched with either case of each hex digit. */
const percent = (byte: number): string =>
  '%' +
  [...byte.toString(16).toUpperCase().padStart(2, '0')]
    .map((d) => (/[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d))
    .join('');

/** The value as typed, or percent-encoded by any common encoder (each character either way). */
function plainOrPercent(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ALNUM.test(ch)) {
      out += ch;
      continue;
    }
    const bytes = [...Buffer.from(ch, 'utf8')].map(percent).join('');
    const space = ch === ' ' ? '|\\+' : '';
    out += `(?:${unit(ch)}|${bytes}${space})`;
  }
  return out;
}

/** Hex digits matched in either case. */
function anyCaseHex(hex: string): string {
  return [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

/** A std-alphabet base64 string matched in the std or url-safe alphabet, raw or percent-encoded. */
function anyAlphabet(b64: string): string {
  return [...b64]
    .map((c) => {
      if (c === '+') return '(?:[+-]|%2[Bb])';
      if (c === '/') return '(?:[/_]|%2[Ff])';
      return c;
    })
    .join('');
}

/**
 * The base64 characters that depend on the secret's bytes alone when it starts `offset` bytes
 * into a stream: the same whatever surrounds it. `lead`/`tail`: a neighbouring character mixes
 * bits of the secret with bits of its neighbours.
 */
export function base64Core(
  bytes: Buffer,
  offset: 0 | 1 | 2,
): Required<Omit<SecretForm, 'source' | 'length'>> {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const firstBit = 8 * offset;
  const endBit = 8 * (offset + bytes.length);
  const start = Math.ceil(firstBit / 6);
  const end = Math.floor(endBit / 6);
  return {
    core: encoded.slice(start, end),
    lead: 6 * start > firstBit,
    tail: 6 * end < endBit,
  };
}

/** Every form of one secret worth matching (the caller has checked its minimum length). */
export function secretForms(value: string): SecretForm[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: SecretForm[] = [{ source: plainOrPercent(value), length: value.length }];
  const hex = bytes.toString('hex');
  if (hex.length >= MIN_ENCODED_LENGTH) forms.push({ source: anyCaseHex(hex), length: hex.length });
  const seen = new Set<string>();
  for (const offset of [0, 1, 2] as const) {
    const { core, lead, tail } = base64Core(bytes, offset);
    if (core.length < MIN_ENCODED_LENGTH || seen.has(core)) continue;
    seen.add(core);
    forms.push({ source: anyAlphabet(core), length: core.length, core, lead, tail });
  }
  return forms;
}
