import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/index.js';

describe('canonicalJson', () => {
  it('sorts keys recursively and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).toBe(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
  });

  it('writes scalars as JSON does, drops undefined members and nulls undefined array items', () => {
    expect(canonicalJson({ s: 'é"\n', n: 1.5e-7, t: true, z: null, u: undefined, arr: [undefined] })).toBe(
      '{"arr":[null],"n":1.5e-7,"s":"é\\"\\n","t":true,"z":null}',
    );
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it.each([NaN, Infinity, 10n, () => 1, Symbol('s')])('throws on %s', (value) => {
    expect(() => canonicalJson({ value })).toThrow(TypeError);
  });
});
