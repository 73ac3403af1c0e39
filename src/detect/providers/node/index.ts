import { makeCandidate, sourced } from '../../candidate.js';
import { getRecord, getString, getStringMap, isRecord } from '../../json.js';
import { classifyModuleType } from '../../module-type.js';
import { inferPort } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence } from '../../text.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';
import { NODE_FRAMEWORKS, TOOLING, staticServe, type NodeFramework } from './frameworks.js';
import {
  detectPackageManager,
  installCommand,
  runScript,
  type NodePackageManager,
} from './package-manager.js';
import { nodeVersion } from './versions.js';

const CODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts'];
const ENTRY_FILES = [
  'server.js',
  'index.js',
  'app.js',
  'main.js',
  'server.mjs',
  'index.mjs',
  'src/server.js',
  'src/index.js',
];
const NPM_PLACEHOLDER_TEST = /no test specified/;

interface StartChoice {
  start: Sourced<string> | null;
  /** The text of the script that runs, for port inference (`PORT=4000 node server.js`). */
  scriptText: string | null;
  entry: string | null;
}

function chooseStart(
  view: RepoView,
  pm: NodePackageManager,
  scripts: Record<string, string>,
  main: string | null,
  fw: NodeFramework | null,
  astroServer: boolean,
  ev: Evidence[],
): StartChoice {
  const prod = fw?.prodScript ? scripts[fw.prodScript] : undefined;
  if (fw?.prodScript && prod) {
    ev.push(evidence('package.json', `scripts.${fw.prodScript}: "${prod}" is the production start`, 2));
    const start = sourced(runScript(pm, fw.prodScript), `package.json scripts.${fw.prodScript}: ${prod}`);
    return { start, scriptText: prod, entry: null };
  }
  const script = scripts['start'];
  if (script && !(fw?.devServer?.test(script) ?? false)) {
    ev.push(evidence('package.json', `scripts.start: "${script}"`, 2));
    return {
      start: sourced(runScript(pm, 'start'), `package.json scripts.start: ${script}`),
      scriptText: script,
      entry: null,
    };
  }
  if (script && fw) {
    ev.push(evidence('package.json', `scripts.start "${script}" runs a dev server; not used for deploys`, 0));
  }
  if (fw?.id === 'astro' && astroServer) {
    ev.push(evidence('package.json', '@astrojs/node adapter: Astro builds a Node server', 1));
    return {
      start: sourced('node ./dist/server/entry.mjs', 'Astro @astrojs/node standalone entry'),
      scriptText: null,
      entry: null,
    };
  }
  if (fw?.staticDir) {
    const cmd = staticServe(fw.staticDir, fw.port);
    ev.push(evidence('package.json', `${fw.label} builds a static site into ${fw.staticDir}/`, 1));
    return {
      start: sourced(cmd, `${fw.label} static build served from ${fw.staticDir}/`),
      scriptText: null,
      entry: null,
    };
  }
  if (fw?.fallbackStart) {
    ev.push(evidence('package.json', `no usable start script; ${fw.label} production server`, 1));
    return {
      start: sourced(fw.fallbackStart, `${fw.label} production start`),
      scriptText: null,
      entry: null,
    };
  }
  const entry = [main, ...ENTRY_FILES].find((f): f is string => f !== null && view.exists(f)) ?? null;
  if (entry) {
    ev.push(evidence(entry, `entry file ${entry}${entry === main ? ' (package.json main)' : ''}`, 1));
    return { start: sourced(`node ${entry}`, `entry file ${entry}`), scriptText: null, entry };
  }
  return { start: null, scriptText: null, entry: null };
}

function detectNode(view: RepoView): Candidate[] {
  const pkg = view.readJson('package.json');
  if (!isRecord(pkg)) return [];
  const deps = getStringMap(pkg, 'dependencies');
  const devDeps = getStringMap(pkg, 'devDependencies');
  const all = { ...devDeps, ...deps };
  const scripts = getStringMap(pkg, 'scripts');
  const name = getString(pkg, 'name');
  const ev: Evidence[] = [evidence('package.json', `package.json${name ? ` for "${name}"` : ''}`, 2)];

  const pmInfo = detectPackageManager(view, getString(pkg, 'packageManager'));
  ev.push(...pmInfo.evidence);
  const fw = NODE_FRAMEWORKS.find((f) => f.deps.some((d) => d in all)) ?? null;
  if (fw) ev.push(evidence('package.json', `dependency ${fw.deps.find((d) => d in all)}: ${fw.label}`, 3));
  const astroServer = '@astrojs/node' in all;

  const choice = chooseStart(view, pmInfo.pm, scripts, getString(pkg, 'main'), fw, astroServer, ev);
  if (!choice.start && !fw) {
    const devOnly = Object.keys(deps).length === 0;
    const tools = Object.keys(devDeps).filter(
      (d) => TOOLING.has(d) || d.startsWith('@types/') || d.includes('eslint'),
    );
    const detail = devOnly
      ? `package.json has no start script and only dev tooling${tools.length > 0 ? ` (${tools.slice(0, 4).join(', ')})` : ''}`
      : 'package.json has no start script, no entry file and no server framework';
    ev.push(evidence('package.json', detail, devOnly ? -3 : -2));
  }

  const port =
    choice.start === null
      ? null
      : inferPort(view, {
          commands: [
            { command: choice.scriptText, origin: 'package.json scripts.start' },
            { command: choice.start.value, origin: 'start command' },
          ],
          extensions: fw?.staticDir ? [] : CODE_EXTENSIONS,
          entryFiles: choice.entry ? [choice.entry] : ENTRY_FILES,
          convention: fw ? { port: fw.port, what: fw.label } : null,
        });
  if (port && !port.source.startsWith('convention'))
    ev.push(evidence(port.source.split(':')[0] ?? '', `port ${port.value} set explicitly`, 1));

  const build = scripts['build']
    ? sourced(runScript(pmInfo.pm, 'build'), `package.json scripts.build: ${scripts['build']}`)
    : null;
  const testScript = scripts['test'];
  const test =
    testScript && !NPM_PLACEHOLDER_TEST.test(testScript)
      ? sourced(runScript(pmInfo.pm, 'test'), `package.json scripts.test: ${testScript}`)
      : null;

  const versions: Record<string, Sourced<string>> = {};
  const node = nodeVersion(view, getString(getRecord(pkg, 'engines'), 'node'));
  if (node) versions['node'] = node;
  if (pmInfo.version)
    versions[pmInfo.pm] = sourced(
      pmInfo.version,
      `package.json packageManager: ${pmInfo.pm}@${pmInfo.version}`,
    );

  const usesPython = choice.start?.value.startsWith('python3 ') ?? false;
  const systemDependencies = [
    ...(pmInfo.pm === 'bun' ? [] : ['nodejs', 'npm']),
    ...(usesPython ? ['python3'] : []),
  ];
  return [
    makeCandidate({
      provider: 'node',
      language: 'node',
      framework: fw?.id ?? null,
      packageManager: pmInfo.pm,
      versions,
      install: sourced(installCommand(pmInfo), pmInfo.lockfile ?? 'package.json'),
      build,
      start: choice.start,
      test,
      port,
      moduleType: classifyModuleType(view, {
        language: 'node',
        framework: fw?.id ?? null,
        deps: Object.keys(all),
        serves: fw !== null || (port !== null && !port.source.startsWith('convention')),
      }),
      systemDependencies,
      evidence: ev,
    }),
  ];
}

export const nodeProvider: Provider = { id: 'node', detect: detectNode };
