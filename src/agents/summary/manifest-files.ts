import { isSensitivePath } from './sensitive-paths.js';

/** Per-file, total and count caps on manifest contents, so a summary stays small and predictable. */
export const MAX_MANIFEST_CHARS = 8 * 1024;
export const MAX_MANIFESTS_CHARS = 48 * 1024;
export const MAX_MANIFESTS = 20;
/** Manifests are looked for at the root and up to two levels below it (monorepo packages). */
export const MANIFEST_DEPTH = 2;

/** Files that say what a project is and how it runs; lockfiles are left out (large, no intent). */
const MANIFEST_NAMES: ReadonlySet<string> = new Set([
  'package.json',
  'pyproject.toml',
  'Pipfile',
  'setup.cfg',
  'setup.py',
  'go.mod',
  'Cargo.toml',
  'Gemfile',
  'composer.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'settings.gradle',
  'Procfile',
  'Dockerfile',
  'runtime.txt',
  '.nvmrc',
  '.node-version',
  '.python-version',
  '.ruby-version',
  '.tool-versions',
]);

const REQUIREMENTS = /^requirements([-_.][\w.-]*)?\.txt$/;

/** Whether `path` is an allowlisted manifest; sensitive paths never are, whatever their name. */
export function isManifestFile(path: string): boolean {
  if (isSensitivePath(path)) return false;
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  if (MANIFEST_NAMES.has(name) || REQUIREMENTS.test(name)) return true;
  // requirements/base.txt, requirements/dev.txt
  return parts.at(-2) === 'requirements' && name.endsWith('.txt');
}

/** Cuts `text` to the cap and says how much was left out, so a reader knows it is partial. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters not shown)`;
}
