/**
 * The broken-manifest corpus: each `<NN>-<slug>.yaml` is parsed and its formatted issues compared
 * exactly with `<NN>-<slug>.expected`; the valid corpus must parse with no error and no warning.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatResult, parseManifest } from '../../src/manifest/index.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'manifests');
const broken = readdirSync(join(root, 'broken'))
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const valid = readdirSync(join(root, 'valid')).sort();

describe('broken manifests', () => {
  it('has at least 32 cases', () => {
    expect(broken.length).toBeGreaterThanOrEqual(32);
  });

  it.each(broken)('%s', (name) => {
    const text = readFileSync(join(root, 'broken', name), 'utf8');
    const expected = readFileSync(join(root, 'broken', name.replace(/\.yaml$/, '.expected')), 'utf8');
    const result = parseManifest(text, name);
    expect(result.value).toBeNull();
    expect(result.errors.length).toBeGreaterThan(0);
    expect(formatResult(name, result).join('\n') + '\n').toBe(expected);
  });
});

describe('valid manifests', () => {
  it.each(valid)('%s', (name) => {
    const result = parseManifest(readFileSync(join(root, 'valid', name), 'utf8'), name);
    expect(formatResult(name, result)).toEqual([]);
    expect(result.value).not.toBeNull();
  });

  it('adapts the crypto-api example with its values intact', () => {
    const { value } = parseManifest(readFileSync(join(root, 'valid', 'crypto-api.yaml'), 'utf8'), 'x');
    expect(value?.module_type).toBe('api');
    expect(value?.environment_variables).toEqual({ LOG_LEVEL: 'INFO', CACHE_TTL: '60' });
    expect(value?.security.auth_type).toBe('api_key');
  });

  it('keeps x- keys out of the value and applies merge keys', () => {
    const text = readFileSync(join(root, 'valid', 'extensions-and-anchors.yaml'), 'utf8');
    const { value } = parseManifest(text, 'x');
    expect(value).not.toHaveProperty('x-probe');
    expect(value?.health_check).toMatchObject({ interval: 15, timeout: 5, type: 'command' });
  });
});
