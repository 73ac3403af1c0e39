import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedactor, redact, REDACTED } from '../../src/security/index.js';
import { base64Core } from '../../src/security/secret-forms.js';

const SECRET = 'canary+S3cr3t/value=1 ünï';
const bytes = Buffer.from(SECRET, 'utf8');

/** Every encoded shape of SECRET the redaction must catch, by name. */
const FORMS: [string, string][] = [
  ['plain', SECRET],
  ['encodeURIComponent', encodeURIComponent(SECRET)],
  ['form encoding (+ for space)', new URLSearchParams({ v: SECRET }).toString().slice(2)],
  ['lower-case percent hex', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (p) => p.toLowerCase())],
  ['hex', bytes.toString('hex')],
  ['HEX', bytes.toString('hex').toUpperCase()],
  ['base64', bytes.toString('base64')],
  ['base64 unpadded', bytes.toString('base64').replace(/=+$/, '')],
  ['base64url', bytes.toString('base64url')],
  ['base64url padded', bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')],
  ['base64 in a query string', encodeURIComponent(bytes.toString('base64'))],
];

describe('redact: encoded forms of a secret', () => {
  it.each(FORMS)('%s', (_name, form) => {
    const out = redact(`before ${form} after`, [SECRET]);
    expect(out).toBe(`before ${REDACTED} after`);
  });

  it('every form in one text, through createRedactor', () => {
    const text = FORMS.map(([name, form]) => `${name}: ${form}`).join('\n');
    const out = createRedactor([SECRET])(text);
    for (const [, form] of FORMS) expect(out).not.toContain(form);
    expect(out.split(REDACTED)).toHaveLength(FORMS.length + 1);
  });

  it('a secret inside a longer base64 blob, at every byte alignment', () => {
    for (let trial = 0; trial < 60; trial += 1) {
      const secret = randomBytes(8 + (trial % 17)).toString('hex');
      const prefix = randomBytes(trial % 7);
      const blob = Buffer.concat([prefix, Buffer.from(secret), randomBytes(1 + (trial % 5))]);
      for (const encoded of [blob.toString('base64'), blob.toString('base64url')]) {
        const out = redact(`data:${encoded};`, [secret]);
        expect(out).toContain(REDACTED);
        for (const offset of [0, 1, 2] as const) {
          expect(out).not.toContain(base64Core(Buffer.from(secret), offset).core);
        }
        // What is left of the blob carries no bit of the secret: at most the neighbours' bytes.
        const left = out.slice('data:'.length, -1).split(REDACTED);
        expect(left.join('').length).toBeLessThanOrEqual(Math.ceil(((prefix.length + 5) * 8) / 6) + 2 + 4);
      }
    }
  });

  it('padding that follows a redacted base64 form goes with it', () => {
    const encoded = Buffer.from('canary-value1').toString('base64');
    expect(encoded.endsWith('==')).toBe(true);
    expect(redact(`x=${encoded} y`, ['canary-value1'])).toBe(`x=${REDACTED} y`);
    expect(redact(`x=${encodeURIComponent(encoded)}&y`, ['canary-value1'])).toBe(`x=${REDACTED}&y`);
  });

  it('a secret overlapping another one is hidden whole', () => {
    expect(redact('xxabcdefgh-tail', ['xabc', 'abcdefgh'])).toBe(`x${REDACTED}-tail`);
  });

  it('adjacent occurrences stay two redactions, as before', () => {
    expect(redact('hunter22hunter22', ['hunter22'])).toBe(`${REDACTED}${REDACTED}`);
  });

  it('leaves text alone that only shares characters with the encodings', () => {
    const text = 'GET /api?q=1 sha=3f2a9c etag=Zm9vYmFy user=alice';
    expect(redact(text, ['s3cret-value', 'another-one'])).toBe(text);
  });

  it('short secrets are matched as typed but not by encodings shorter than 6 characters', () => {
    // "pass" is 4 bytes: hex has 8 characters (matched), base64 cores have fewer than 6 (not).
    expect(redact('pass 70617373 cGFzcw==', ['pass'])).toBe(`${REDACTED} ${REDACTED} cGFzcw==`);
  });

  it('many secrets: still one pass, and every one of them caught', () => {
    const secrets = Array.from({ length: 500 }, () => randomBytes(12).toString('base64url'));
    const text = secrets.map((s, i) => (i % 2 === 0 ? s : Buffer.from(s).toString('hex'))).join(' ');
    const out = redact(text, secrets);
    expect(out).toBe(secrets.map(() => REDACTED).join(' '));
  });

  it('characters that mean something in a regular expression are taken literally', () => {
    expect(redact('a.b*c+(d)[e]{f}|g^$\\ x', ['a.b*c+(d)[e]{f}|g^$\\'])).toBe(`${REDACTED} x`);
    expect(redact('aXbYcZd+(d) x', ['a.b*c+(d)'])).toBe('aXbYcZd+(d) x');
  });
});
