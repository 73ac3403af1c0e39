import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { findManifestFile, loadManifest } from '../../src/manifest/index.js';

const MINIMAL =
  'name: demo\nversion: "1.0.0"\ndescription: d\nmodule_type: api\nbuild_command: b\nstart_command: s\n';
const base = mkdtempSync(join(tmpdir(), 'automatos-manifest-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function dir(files: Record<string, string | Buffer>): string {
  const d = mkdtempSync(join(base, 'case-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), content);
  return d;
}

describe('findManifestFile', () => {
  it('prefers .yaml, falls back to .yml, else null', () => {
    expect(findManifestFile(dir({ 'ai-module.yml': MINIMAL }))).toMatch(/ai-module\.yml$/);
    expect(findManifestFile(dir({ 'ai-module.yaml': MINIMAL, 'ai-module.yml': MINIMAL }))).toMatch(/\.yaml$/);
    expect(findManifestFile(dir({}))).toBeNull();
  });

  it('ignores a directory named like the manifest', () => {
    const d = dir({});
    mkdirSync(join(d, 'ai-module.yaml'));
    expect(findManifestFile(d)).toBeNull();
  });
});

describe('loadManifest', () => {
  it('loads from a directory or a file', async () => {
    const d = dir({ 'ai-module.yaml': MINIMAL });
    const fromDir = await loadManifest(d);
    expect(fromDir.file).toBe(join(d, 'ai-module.yaml'));
    expect(fromDir.value?.name).toBe('demo');
    expect((await loadManifest(join(d, 'ai-module.yaml'))).errors).toEqual([]);
  });

  it('warns when both .yaml and .yml exist', async () => {
    const result = await loadManifest(dir({ 'ai-module.yaml': MINIMAL, 'ai-module.yml': MINIMAL }));
    expect(result.warnings.map((w) => w.code)).toEqual(['ambiguous_manifest_file']);
  });

  it('throws AUT_MANIFEST_NOT_FOUND for a missing file or a directory without one', async () => {
    await expect(loadManifest(join(base, 'nope.yaml'))).rejects.toMatchObject({
      code: 'AUT_MANIFEST_NOT_FOUND',
    });
    await expect(loadManifest(dir({}))).rejects.toMatchObject({ code: 'AUT_MANIFEST_NOT_FOUND' });
  });

  it.skipIf(process.getuid?.() === 0)('throws AUT_IO for an unreadable file', async () => {
    const d = dir({ 'ai-module.yaml': MINIMAL });
    chmodSync(join(d, 'ai-module.yaml'), 0o000);
    await expect(loadManifest(d)).rejects.toMatchObject({ code: 'AUT_IO' });
  });

  it('returns errors, not throws, for invalid UTF-8 and oversized files', async () => {
    const bad = await loadManifest(dir({ 'ai-module.yaml': Buffer.from([0x6e, 0x3a, 0xff, 0xfe]) }));
    expect(bad.errors.map((e) => e.code)).toEqual(['not_text']);
    const big = await loadManifest(dir({ 'ai-module.yaml': `# ${'x'.repeat(2 * 1024 * 1024)}\n` }));
    expect(big.errors.map((e) => e.code)).toEqual(['file_too_large']);
  });
});
