import type { RepoView } from '../../repo-view.js';
import { tomlString, type TomlDocument } from '../../toml.js';
import type { Sourced } from '../../types.js';

/** Exact pins (.python-version, runtime.txt) beat ranges (requires-python). */
export function pythonVersion(view: RepoView, pyproject: TomlDocument | null): Sourced<string> | null {
  const pinned = view.readText('.python-version')?.trim().split(/\s+/)[0];
  if (pinned) return { value: pinned, source: `.python-version: ${pinned}` };
  const runtime = view
    .readText('runtime.txt')
    ?.trim()
    .match(/^python-(\d[\w.]*)/)?.[1];
  if (runtime) return { value: runtime, source: `runtime.txt: python-${runtime}` };
  const pipfile = view.readText('Pipfile')?.match(/python_version\s*=\s*"([^"]+)"/)?.[1];
  if (pipfile) return { value: pipfile, source: `Pipfile [requires] python_version: ${pipfile}` };
  const requires = pyproject ? tomlString(pyproject.tables['project'], 'requires-python') : null;
  return requires ? { value: requires, source: `pyproject.toml requires-python: ${requires}` } : null;
}
