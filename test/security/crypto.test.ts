import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal, Sensitive, type Sealed } from '../../src/security/index.js';

const key = randomBytes(32);
const flip = (buf: Buffer, at = 0): Buffer => {
  const copy = Buffer.from(buf);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('seal/open (AES-256-GCM)', () => {
  it('round-trips text and bytes, with a fresh 12-byte IV each time', () => {
    const a = seal(key, 'hello secret', 'rec-1');
    const b = seal(new Sensitive(key), 'hello secret', 'rec-1');
    expect(a.iv).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(open(key, a, 'rec-1').toString()).toBe('hello secret');
    expect(open(new Sensitive(key), b, 'rec-1').toString()).toBe('hello secret');
    const bytes = randomBytes(1000);
    expect(open(key, seal(key, bytes, 'x'), 'x').equals(bytes)).toBe(true);
    expect(open(key, seal(key, '', 'x'), 'x').toString()).toBe('');
  });

  const sealed = seal(key, 'tamper me please', 'rec-1');
  const cases: [string, () => Buffer, string?][] = [
    ['ciphertext', () => open(key, { ...sealed, ciphertext: flip(sealed.ciphertext, 3) }, 'rec-1')],
    ['tag', () => open(key, { ...sealed, tag: flip(sealed.tag, 15) }, 'rec-1')],
    ['iv', () => open(key, { ...sealed, iv: flip(sealed.iv, 11) }, 'rec-1')],
    ['truncated tag', () => open(key, { ...sealed, tag: sealed.tag.subarray(0, 12) }, 'rec-1')],
    ['wrong aad (moved to another record)', () => open(key, sealed, 'rec-2')],
    ['wrong key', () => open(randomBytes(32), sealed, 'rec-1')],
  ];
  it.each(cases)('refuses a tampered %s with AUT_DECRYPT_FAILED', (_name, run) => {
    expect(run).toThrow(expect.objectContaining({ code: 'AUT_DECRYPT_FAILED' }));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => seal(randomBytes(16), 'x', 'a')).toThrow(
      expect.objectContaining({ code: 'AUT_MASTER_KEY_INVALID' }),
    );
    expect(() => open(randomBytes(31), {} as Sealed, 'a')).toThrow(
      expect.objectContaining({ code: 'AUT_MASTER_KEY_INVALID' }),
    );
  });
});
