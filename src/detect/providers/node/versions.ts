import type { RepoView } from '../../repo-view.js';
import type { Sourced } from '../../types.js';

/** `.nvmrc`/`.node-version` pin an exact version; `engines` is usually a range, so it comes last. */
export function nodeVersion(view: RepoView, engines: string | null): Sourced<string> | null {
  for (const file of ['.nvmrc', '.node-version']) {
    const value = view.readText(file)?.trim().replace(/^v/, '');
    if (value) return { value, source: `${file}: ${value}` };
  }
  return engines ? { value: engines, source: `package.json engines.node: ${engines}` } : null;
}
