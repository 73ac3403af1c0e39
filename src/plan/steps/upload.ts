import { posix } from 'node:path';
import { argv, chain } from '../command.js';
import type { AppLayout, PlanStep } from '../types.js';

/**
 * Never shipped: VCS data, dependency trees the build recreates on the target, and local `.env`
 * files — the app's environment comes from environment_variables and the secret store only.
 */
export const UPLOAD_EXCLUDES = [
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.env',
  '.env.local',
  '.automatos',
] as const;

export function uploadStep(layout: AppLayout, sourceDir: string): PlanStep {
  return {
    name: 'upload',
    description: 'Create the app directories and ship the source tree into a new release directory',
    commands: [
      {
        command: argv(
          'mkdir',
          '-p',
          layout.releaseDir,
          layout.logDir,
          layout.runDir,
          posix.join(layout.sharedDir, 'home'),
        ),
        purpose: 'create release, log, run-state and home directories',
      },
      {
        // Confined commands keep the deploy user's uid: one could leave a setuid program in its
        // writable dirs. Nobody else may reach into the app's dir to run it.
        command: argv('chmod', '0700', layout.appDir),
        purpose: 'keep other local users out of the app directory',
      },
      {
        // Exactly the text the executors' upload runs (exec's remoteUntarCommand), so the plan shows
        // and the policy reviews what is sent: -p keeps modes, -o gives files to the deploy user.
        command: chain(
          argv('mkdir', '-p', '--', layout.releaseDir),
          argv('tar', '-x', '-p', '-o', '-f', '-', '-C', layout.releaseDir),
        ),
        purpose: 'unpack the source tree streamed over the connection',
        stdin: { kind: 'tar', from: sourceDir, exclude: UPLOAD_EXCLUDES },
      },
    ],
  };
}
