import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { choosePort, dotenvPort, portFromCommand, portsInCode } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence, where } from '../../text.js';
import type { Candidate, Evidence } from '../../types.js';

const BUILD_SCRIPTS = ['build.sh', 'setup.sh', 'install.sh'];

function detectShell(view: RepoView): Candidate[] {
  const text = view.readText('start.sh');
  if (text === null) return [];
  const ev: Evidence[] = [evidence('start.sh', 'start.sh at the root', 2)];
  if (/^#!.*\b(ba)?sh\b/.test(text)) ev.push(evidence('start.sh', 'shell shebang', 0.5, 1));
  const buildScript = BUILD_SCRIPTS.find((f) => view.exists(f));
  if (buildScript) ev.push(evidence(buildScript, `${buildScript} prepares the app`, 0.5));

  // Each line of the script is a command that may carry the port (`exec gunicorn -b :8080 ...`).
  const commandPorts = text
    .split(/\r?\n/)
    .map((line, i) => portFromCommand(line.replace(/^\s*exec\s+/, ''), where('start.sh', i + 1)));
  const port = choosePort([
    ...commandPorts,
    ...portsInCode(view, { extensions: [], entryFiles: ['start.sh'], maxFiles: 0 }),
    dotenvPort(view),
  ]);
  return [
    makeCandidate({
      provider: 'shell',
      language: 'shell',
      framework: null,
      packageManager: null,
      versions: {},
      install: null,
      build: buildScript ? sourced(`bash ${buildScript}`, buildScript) : null,
      start: sourced('bash start.sh', 'start.sh'),
      test: null,
      port,
      moduleType: classifyModuleType(view, {
        language: 'shell',
        framework: null,
        deps: [],
        serves: port !== null,
      }),
      systemDependencies: ['bash'],
      evidence: ev,
    }),
  ];
}

export const shellProvider: Provider = { id: 'shell', detect: detectShell };
