import { makeCandidate, sourced } from '../../candidate.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import type { Candidate, Evidence } from '../../types.js';

/** Project files that mean a server-side app exists, which would serve index.html itself. */
const SERVER_FILES = [
  'package.json',
  'requirements.txt',
  'pyproject.toml',
  'Pipfile',
  'go.mod',
  'Gemfile',
  'Cargo.toml',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'composer.json',
  'manage.py',
];

const PORT = 8000;

function detectStatic(view: RepoView): Candidate[] {
  if (!view.exists('index.html')) return [];
  const ev: Evidence[] = [evidence('index.html', 'index.html at the root', 2)];
  const pages = view.files({ extensions: ['.html'], maxDepth: 2, maxFiles: 50 }).length;
  if (pages > 1) ev.push(evidence('index.html', `${pages} HTML pages`, 0.5));
  const server = SERVER_FILES.filter((f) => view.exists(f));
  if (server.length > 0) {
    ev.push(
      evidence(
        server[0] ?? '',
        `server-side project files present (${server.join(', ')}): index.html is likely served by that app`,
        -2,
      ),
    );
  }
  // http.server ships with python3, which nearly every host has: no download at start.
  const start = `python3 -m http.server ${PORT} --bind 0.0.0.0`;
  return [
    makeCandidate({
      provider: 'static',
      language: 'static',
      framework: 'static',
      packageManager: null,
      versions: {},
      install: null,
      build: null,
      start: sourced(start, 'static files served by Python http.server'),
      test: null,
      port: sourced(PORT, `start command: ${start}`),
      moduleType: sourced('web_app', 'static site: index.html and assets'),
      systemDependencies: ['python3'],
      evidence: ev,
    }),
  ];
}

export const staticProvider: Provider = { id: 'static', detect: detectStatic };
