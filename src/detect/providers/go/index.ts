import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { inferPort } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence, firstLine, matchLines } from '../../text.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';

/** Router modules and the port their docs use; net/http has no convention of its own. */
const GO_FRAMEWORKS: readonly { id: string; module: string; port: number | null }[] = [
  { id: 'gin', module: 'github.com/gin-gonic/gin', port: 8080 },
  { id: 'echo', module: 'github.com/labstack/echo', port: 1323 },
  { id: 'fiber', module: 'github.com/gofiber/fiber', port: 3000 },
  { id: 'chi', module: 'github.com/go-chi/chi', port: null },
  { id: 'gorilla', module: 'github.com/gorilla/mux', port: null },
];

/** `require` lines, both single-line and block form. */
export function goRequires(gomod: string): string[] {
  const mods: string[] = [];
  let inBlock = false;
  for (const raw of gomod.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (/^require\s*\($/.test(line)) inBlock = true;
    else if (inBlock && line === ')') inBlock = false;
    else {
      const mod = (inBlock ? line : line.match(/^require\s+(.*)$/)?.[1])?.split(/\s+/)[0];
      if (mod) mods.push(mod);
    }
  }
  return mods;
}

/** The main package: the root when a root .go file says `package main`, else the first `cmd/<name>`. */
function mainPackage(view: RepoView): { path: string; file: string } | null {
  const isMain = (file: string) => /^package\s+main\b/m.test(view.readText(file) ?? '');
  const root = view
    .list('')
    .find(
      (e) => e.kind === 'file' && e.name.endsWith('.go') && !e.name.endsWith('_test.go') && isMain(e.name),
    );
  if (root) return { path: '.', file: root.name };
  for (const dir of view.list('cmd').filter((e) => e.kind === 'dir')) {
    const file = view
      .list(`cmd/${dir.name}`)
      .find((e) => e.name.endsWith('.go') && isMain(`cmd/${dir.name}/${e.name}`));
    if (file) return { path: `./cmd/${dir.name}`, file: `cmd/${dir.name}/${file.name}` };
  }
  return null;
}

function detectGo(view: RepoView): Candidate[] {
  const gomod = view.readText('go.mod');
  if (gomod === null) return [];
  const module = firstLine(gomod, /^module\s+(\S+)/);
  const ev: Evidence[] = [evidence('go.mod', `go.mod for module ${module?.match[1] ?? '(unnamed)'}`, 2)];
  if (view.exists('go.sum')) ev.push(evidence('go.sum', 'dependencies are locked', 1));
  const requires = goRequires(gomod);
  const fw = GO_FRAMEWORKS.find((f) => requires.some((r) => r.startsWith(f.module))) ?? null;
  if (fw) ev.push(evidence('go.mod', `requires ${fw.module}: ${fw.id}`, 2));

  const main = mainPackage(view);
  if (main) ev.push(evidence(main.file, `package main in ${main.path}`, 2));
  else ev.push(evidence('go.mod', 'no package main: a library, nothing to start', -2));
  const serves =
    main !== null &&
    matchLines(view.readText(main.file) ?? '', /ListenAndServe|\.Run\(|\.Listen\(|\.Start\(/).length > 0;
  const port = main
    ? inferPort(view, {
        commands: [],
        extensions: ['.go'],
        entryFiles: [main.file],
        convention: fw?.port ? { port: fw.port, what: fw.id } : null,
      })
    : null;

  const versions: Record<string, Sourced<string>> = {};
  const goLine = firstLine(gomod, /^go\s+(\d[\w.]*)/);
  const toolchain = firstLine(gomod, /^toolchain\s+go(\d[\w.]*)/);
  const v = toolchain ?? goLine;
  if (v?.match[1]) versions['go'] = sourced(v.match[1], `go.mod:${v.line}: ${v.text}`);

  return [
    makeCandidate({
      provider: 'go',
      language: 'go',
      framework: fw?.id ?? null,
      packageManager: 'go',
      versions,
      install: sourced('go mod download', 'go.mod'),
      build: main ? sourced(`go build -o bin/app ${main.path}`, `package main in ${main.path}`) : null,
      start: main ? sourced('./bin/app', `binary built from ${main.path}`) : null,
      test: sourced('go test ./...', 'go test (standard tool)'),
      port,
      moduleType: classifyModuleType(view, {
        language: 'go',
        framework: fw?.id ?? null,
        deps: requires,
        serves: serves || fw !== null,
      }),
      systemDependencies: ['golang-go'],
      evidence: ev,
    }),
  ];
}

export const goProvider: Provider = { id: 'go', detect: detectGo };
