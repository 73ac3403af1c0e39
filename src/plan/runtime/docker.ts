import type { AiModule } from '../../manifest/index.js';
import { argv, either } from '../command.js';
import { dockerImage } from '../steps/build.js';
import type { AppLayout, PlannedCommand } from '../types.js';

export const containerName = (app: string): string => `automatos-${app}`;

/** Published on loopback only: the health probe and a reverse proxy reach it; the world does not. */
export function dockerRestart(module: AiModule, layout: AppLayout, releaseId: string): PlannedCommand[] {
  const name = containerName(module.name);
  const port = String(module.port);
  return [
    {
      command: either(argv('docker', 'rm', '-f', name), argv('true')),
      purpose: 'remove the running container',
    },
    {
      command: argv(
        'docker',
        'run',
        '-d',
        '--name',
        name,
        '--restart',
        'unless-stopped',
        '--env-file',
        layout.envFile,
        '-p',
        `127.0.0.1:${port}:${port}`,
        dockerImage(module, releaseId),
      ),
      purpose: 'start the new release',
    },
  ];
}
