import { makeCandidate, sourced } from '../../candidate.js';
import { classifyModuleType } from '../../module-type.js';
import { choosePort, dockerfilePort } from '../../port.js';
import type { Provider } from '../../provider.js';
import type { RepoView } from '../../repo-view.js';
import { evidence, matchLines, snippet } from '../../text.js';
import type { Candidate, Evidence, Sourced } from '../../types.js';

/** The image tag used in commands; candidateToManifest replaces it with the module name. */
export const DOCKER_IMAGE_PLACEHOLDER = 'app';

/** `CMD ["node", "server.js"]` -> `node server.js`; shell form is returned as written. */
export function dockerCommand(raw: string): string {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('[')) return trimmed;
  try {
    const parts: unknown = JSON.parse(trimmed);
    return Array.isArray(parts) ? parts.map(String).join(' ') : trimmed;
  } catch {
    return trimmed;
  }
}

function detectDocker(view: RepoView): Candidate[] {
  const text = view.readText('Dockerfile');
  if (text === null) return [];
  const ev: Evidence[] = [evidence('Dockerfile', 'Dockerfile at the root', 2)];
  const from = matchLines(text, /^\s*FROM\s+(\S+)/i).at(-1);
  const cmd = matchLines(text, /^\s*(CMD|ENTRYPOINT)\s+(.+)$/i).at(-1);
  if (cmd?.match[2])
    ev.push(
      evidence(
        'Dockerfile',
        `${cmd.match[1]?.toUpperCase()} ${snippet(dockerCommand(cmd.match[2]))}`,
        1,
        cmd.line,
      ),
    );
  const expose = dockerfilePort(view);
  const port = choosePort([expose]);
  if (expose) ev.push(evidence('Dockerfile', `EXPOSE ${expose.port}`, 0.5));

  const image = DOCKER_IMAGE_PLACEHOLDER;
  const publish = port ? ` -p ${port.value}:${port.value}` : '';
  const versions: Record<string, Sourced<string>> = {};
  if (from?.match[1]) versions['image'] = sourced(from.match[1], `Dockerfile:${from.line}: ${from.text}`);
  return [
    makeCandidate({
      provider: 'docker',
      language: 'docker',
      framework: null,
      packageManager: null,
      versions,
      install: null,
      build: sourced(`docker build -t ${image} .`, 'Dockerfile'),
      start: sourced(
        `docker run --rm --init${publish} ${image}`,
        cmd ? `Dockerfile:${cmd.line}: ${snippet(cmd.text)}` : 'Dockerfile',
      ),
      test: null,
      port,
      moduleType: classifyModuleType(view, {
        language: 'docker',
        framework: null,
        deps: [],
        serves: port !== null,
      }),
      systemDependencies: ['docker.io'],
      evidence: ev,
    }),
  ];
}

export const dockerProvider: Provider = { id: 'docker', detect: detectDocker };
