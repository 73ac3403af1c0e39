import { sourced } from '../../candidate.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import { parseToml, tomlString, tomlStrings, type TomlDocument } from '../../toml.js';
import type { Evidence, Sourced } from '../../types.js';

/** How a Python project declares its dependencies and which tool installs them. */
export type PythonManager = 'pip' | 'poetry' | 'uv' | 'pdm' | 'pipenv' | 'setuptools';

export interface PythonProject {
  manager: PythonManager | null;
  /** Runtime dependency names, lowercased and PEP 503-normalized (`Flask_Login` -> `flask-login`). */
  deps: string[];
  /** Where each dependency was declared, for evidence. */
  declaredIn: Record<string, string>;
  install: Sourced<string> | null;
  pyproject: TomlDocument | null;
  evidence: Evidence[];
}

const VENV = 'python3 -m venv .venv';

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Names from a requirements file, following `-r other.txt` one level (common split files). */
export function requirementNames(view: RepoView, file: string, depth = 0): string[] {
  const text = view.readText(file);
  if (text === null) return [];
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const include = line.match(/^-r\s+(\S+)/);
    if (include?.[1] && depth < 2) {
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      names.push(...requirementNames(view, dir + include[1], depth + 1));
      continue;
    }
    const name = line.match(/^([A-Za-z0-9][A-Za-z0-9._-]*)/)?.[1];
    if (name && !line.startsWith('-')) names.push(normalizeName(name));
  }
  return names;
}

function pep508Name(spec: string): string | null {
  const name = spec.trim().match(/^([A-Za-z0-9][A-Za-z0-9._-]*)/)?.[1];
  return name ? normalizeName(name) : null;
}

function pickManager(
  view: RepoView,
  doc: TomlDocument | null,
): { manager: PythonManager; file: string } | null {
  const tool = (name: string) =>
    doc !== null &&
    Object.keys(doc.tables).some((t) => t === `tool.${name}` || t.startsWith(`tool.${name}.`));
  if (view.exists('poetry.lock')) return { manager: 'poetry', file: 'poetry.lock' };
  if (view.exists('uv.lock')) return { manager: 'uv', file: 'uv.lock' };
  if (view.exists('pdm.lock')) return { manager: 'pdm', file: 'pdm.lock' };
  if (view.exists('requirements.txt')) return { manager: 'pip', file: 'requirements.txt' };
  if (view.exists('Pipfile')) return { manager: 'pipenv', file: 'Pipfile' };
  if (tool('poetry')) return { manager: 'poetry', file: 'pyproject.toml' };
  if (tool('uv')) return { manager: 'uv', file: 'pyproject.toml' };
  if (tool('pdm')) return { manager: 'pdm', file: 'pyproject.toml' };
  if (doc !== null || view.exists('setup.py'))
    return { manager: 'setuptools', file: doc ? 'pyproject.toml' : 'setup.py' };
  return null;
}

/**
 * Every install goes into a project-local `.venv` created with the system python3, so the target
 * needs only python3 + python3-venv; poetry/uv/pdm/pipenv are installed into that venv and all
 * of them reuse an existing in-project `.venv`.
 */
function installFor(view: RepoView, manager: PythonManager): string {
  const inVenv = (tool: string, cmd: string) => `${VENV} && .venv/bin/pip install ${tool} && ${cmd}`;
  switch (manager) {
    case 'pip':
      return `${VENV} && .venv/bin/pip install -r requirements.txt`;
    case 'setuptools':
      return `${VENV} && .venv/bin/pip install .`;
    case 'poetry':
      return inVenv('poetry', '.venv/bin/poetry install --only main --no-root');
    case 'uv':
      return inVenv('uv', `.venv/bin/uv sync --no-dev${view.exists('uv.lock') ? ' --frozen' : ''}`);
    case 'pdm':
      return inVenv('pdm', '.venv/bin/pdm install --prod');
    case 'pipenv':
      return inVenv(
        'pipenv',
        `PIPENV_VENV_IN_PROJECT=1 .venv/bin/pipenv install${view.exists('Pipfile.lock') ? ' --deploy' : ''}`,
      );
  }
}

export function readPythonProject(view: RepoView): PythonProject {
  const pyText = view.readText('pyproject.toml');
  const pyproject = pyText === null ? null : parseToml(pyText);
  const declaredIn: Record<string, string> = {};
  const add = (names: (string | null)[], file: string) => {
    for (const n of names) if (n && n !== 'python' && !(n in declaredIn)) declaredIn[n] = file;
  };
  add(requirementNames(view, 'requirements.txt'), 'requirements.txt');
  if (pyproject) {
    add(tomlStrings(pyproject.tables['project'], 'dependencies').map(pep508Name), 'pyproject.toml');
    add(Object.keys(pyproject.tables['tool.poetry.dependencies'] ?? {}).map(normalizeName), 'pyproject.toml');
  }
  const pipfile = view.readText('Pipfile');
  if (pipfile !== null)
    add(Object.keys(parseToml(pipfile).tables['packages'] ?? {}).map(normalizeName), 'Pipfile');

  const picked = pickManager(view, pyproject);
  const ev: Evidence[] = [];
  if (picked) {
    const depCount = Object.keys(declaredIn).length;
    ev.push(evidence(picked.file, `${picked.manager} project: ${depCount} runtime dependencies declared`, 2));
    if (picked.file.endsWith('.lock')) ev.push(evidence(picked.file, 'dependencies are locked', 1));
  }
  const name = pyproject ? tomlString(pyproject.tables['project'], 'name') : null;
  if (name) ev.push(evidence('pyproject.toml', `project name "${name}"`, 0));
  return {
    manager: picked?.manager ?? null,
    deps: Object.keys(declaredIn),
    declaredIn,
    install: picked ? sourced(installFor(view, picked.manager), `${picked.file} (${picked.manager})`) : null,
    pyproject,
    evidence: ev,
  };
}
