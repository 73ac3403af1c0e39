import { inspect, format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Sensitive, sensitive } from '../../src/security/index.js';

const SECRET = 's3cr3t-value-XYZ';

describe('Sensitive', () => {
  const value = sensitive(SECRET);
  const nested = { password: value, list: [value], deep: { inner: value } };

  it.each([
    ['String()', () => String(value)],
    ['template literal', () => `${value}`],
    ['concatenation', () => 'x' + value],
    ['JSON.stringify', () => JSON.stringify(value)],
    ['JSON.stringify nested', () => JSON.stringify(nested)],
    ['util.inspect', () => inspect(value)],
    ['util.inspect nested, deep', () => inspect(nested, { depth: 10, showHidden: true })],
    ['util.format %s %o %j', () => format('%s %o %O %j', value, value, nested, nested)],
  ])('never leaks via %s', (_name, render) => {
    const text = render();
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[REDACTED]');
  });

  it('has no enumerable property holding the value', () => {
    expect(JSON.stringify([Object.keys(value), Object.entries(value), { ...value }])).not.toContain(SECRET);
  });

  it('gives the value only through reveal()', () => {
    expect(value.reveal()).toBe(SECRET);
    expect(new Sensitive(Buffer.from('ab')).reveal()).toEqual(Buffer.from('ab'));
  });
});
