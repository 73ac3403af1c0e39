import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { choosePort, dockerfilePort, dotenvPort, portsInCode } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';
import { pythonFiles } from './app-files.js';
import { detectPythonApp, type AppContext } from './frameworks.js';
import { readPythonProject, requirementNames, type PythonProject } from './project.js';
import { pythonVersion } from './versions.js';

/** Build-time headers some popular packages compile against when no wheel fits the target. */
const NATIVE_BUILD_DEPS: Record<string, readonly string[]> = {
  psycopg2: ['libpq-dev', 'build-essential'],
  mysqlclient: ['default-libmysqlclient-dev', 'pkg-config', 'build-essential'],
};

function testCommand(view: RepoView, project: PythonProject, python: string): Sourced<string> | null {
  const hasTests = view.exists('tests') || view.exists('conftest.py') || view.exists('pytest.ini');
  if (!hasTests) return null;
  if (project.deps.includes('pytest'))
    return sourced(`${python} -m pytest`, 'pytest in runtime dependencies');
  const devFile = ['requirements-dev.txt', 'requirements/dev.txt'].find((f) =>
    requirementNames(view, f).includes('pytest'),
  );
  if (devFile && project.install) {
    return sourced(
      `.venv/bin/pip install -r ${devFile} && ${python} -m pytest`,
      `pytest listed in ${devFile}`,
    );
  }
  return sourced(
    `${python} -m unittest discover`,
    'tests/ present and pytest not installed: unittest discovery',
  );
}

function detectPython(view: RepoView): Candidate[] {
  const project = readPythonProject(view);
  const files = pythonFiles(view);
  if (!project.manager && files.length === 0) return [];
  const venv = project.install !== null;
  const python = venv ? '.venv/bin/python' : 'python3';
  const ctx: AppContext = {
    view,
    deps: new Set(project.deps),
    files,
    bin: (tool) => (venv ? `.venv/bin/${tool}` : tool),
    python,
    declaredIn: project.declaredIn,
  };

  // Explicit ports (code, .env, Dockerfile) are found first and written into the start command.
  const explicit = choosePort([
    ...portsInCode(view, { extensions: ['.py'], entryFiles: files.slice(0, 5) }),
    dotenvPort(view),
    dockerfilePort(view),
  ]);
  let port: Sourced<number> | null = explicit;
  const app = detectPythonApp(ctx, (convention) => {
    port ??= { value: convention, source: '' };
    return port.value;
  });
  if (app?.convention && port?.source === '') {
    port = {
      value: app.convention.port,
      source: `convention: ${app.convention.what} listens on ${app.convention.port} by default`,
    };
  }
  if (!app?.framework && !explicit) port = null;
  if (!project.manager && !app) return [];

  const ev: Evidence[] = [...project.evidence, ...(app?.evidence ?? [])];
  if (!app)
    ev.push(
      evidence(
        project.install?.source.split(' ')[0] ?? 'pyproject.toml',
        'no framework and no entry script (main.py, app.py): nothing to start',
        -2,
      ),
    );
  if (explicit)
    ev.push(evidence(explicit.source.split(':')[0] ?? '', `port ${explicit.value} set explicitly`, 1));

  const versions: Record<string, Sourced<string>> = {};
  const version = pythonVersion(view, project.pyproject);
  if (version) versions['python'] = version;
  const native = project.deps.flatMap((d) => NATIVE_BUILD_DEPS[d] ?? []);
  return [
    makeCandidate({
      provider: 'python',
      language: 'python',
      framework: app?.framework ?? null,
      packageManager: project.manager,
      versions,
      install: project.install,
      build: app?.build ?? null,
      start: app?.start ? sourced(app.start, app.startSource) : null,
      test: app?.test ?? testCommand(view, project, python),
      port,
      moduleType: classifyModuleType(view, {
        language: 'python',
        framework: app?.framework ?? null,
        deps: project.deps,
        serves: Boolean(app?.framework) || explicit !== null,
      }),
      systemDependencies: [...new Set(['python3', ...(venv ? ['python3-venv'] : []), ...native])],
      evidence: ev,
    }),
  ];
}

export const pythonProvider: Provider = { id: 'python', detect: detectPython };
