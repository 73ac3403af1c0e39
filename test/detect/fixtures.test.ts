import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { candidateToManifest, detectRepository, directoryView } from '../../src/detect/index.js';
import { AiModuleSchema } from '../../src/manifest/index.js';

/**
 * Every mini-repo under test/fixtures/repos carries its expectations in expected.json beside its
 * files (no provider reads that name). Fields present in `chosen` are checked exactly, except the
 * `*Source` fields, which must be mentioned in the value's source string.
 */
interface Expected {
  tier: 1 | 2;
  manifestFile?: string | null;
  chosen: null | {
    language: string;
    framework?: string | null;
    packageManager?: string | null;
    install?: string | null;
    build?: string | null;
    start: string;
    startSource?: string;
    test?: string | null;
    port: number | null;
    portSource?: string;
    moduleType: string;
    versions?: Record<string, string>;
    systemDependencies?: string[];
  };
  ranking: string[];
  /** Language -> a detail one of that candidate's evidence lines must contain. */
  evidence?: Record<string, string>;
  warnings?: string[];
}

const REPOS = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/repos');
const fixtures = readdirSync(REPOS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join(REPOS, d.name))
  .sort();

describe('fixture repos', () => {
  it('has at least 28 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(28);
  });

  for (const dir of fixtures) {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;

    it(`${basename(dir)}`, () => {
      const result = detectRepository(directoryView(dir));
      expect(result.tier).toBe(expected.tier);
      if (expected.manifestFile !== undefined) expect(result.manifestFile).toBe(expected.manifestFile);
      if (expected.warnings) expect(result.warnings).toEqual(expected.warnings);
      expect(result.candidates.map((c) => c.language)).toEqual(expected.ranking);

      for (const [language, detail] of Object.entries(expected.evidence ?? {})) {
        const candidate = result.candidates.find((c) => c.language === language);
        expect(candidate?.evidence.map((e) => e.detail)).toContain(detail);
      }

      const want = expected.chosen;
      const got = result.chosen;
      if (want === null) {
        expect(got).toBeNull();
        return;
      }
      expect(got).not.toBeNull();
      if (!got) return;
      expect(got).toBe(result.candidates.find((c) => c.start !== null));
      expect(got.language).toBe(want.language);
      expect(got.start?.value).toBe(want.start);
      expect(got.port?.value ?? null).toBe(want.port);
      expect(got.moduleType.value).toBe(want.moduleType);
      if (want.framework !== undefined) expect(got.framework).toBe(want.framework);
      if (want.packageManager !== undefined) expect(got.packageManager).toBe(want.packageManager);
      if (want.install !== undefined) expect(got.install?.value ?? null).toBe(want.install);
      if (want.build !== undefined) expect(got.build?.value ?? null).toBe(want.build);
      if (want.test !== undefined) expect(got.test?.value ?? null).toBe(want.test);
      if (want.startSource !== undefined) expect(got.start?.source).toContain(want.startSource);
      if (want.portSource !== undefined) expect(got.port?.source).toContain(want.portSource);
      if (want.systemDependencies !== undefined)
        expect(got.systemDependencies).toEqual(want.systemDependencies);
      for (const [tool, version] of Object.entries(want.versions ?? {})) {
        expect(got.versions[tool]?.value).toBe(version);
      }
      expect(got.confidence).toBeGreaterThan(0);
      expect(got.confidence).toBeLessThanOrEqual(1);

      // The chosen candidate must always become a manifest the schema accepts.
      const manifest = candidateToManifest(got, { dirName: basename(dir), view: directoryView(dir) });
      const parsed = AiModuleSchema.safeParse(manifest);
      expect(parsed.error?.issues ?? []).toEqual([]);
    });
  }
});
