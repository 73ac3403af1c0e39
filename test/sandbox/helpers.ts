import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { launchWith, sandboxLauncher, type SandboxSpec } from '../../src/sandbox/index.js';

/** Real bubblewrap runs need bwrap and a kernel that lets this user create its namespaces. */
export const canSandbox = ((): boolean => {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-pid', '--', '/bin/true']);
  return probe.status === 0;
})();

export const specOf = (overrides: Partial<SandboxSpec> = {}): SandboxSpec => ({
  writable: [],
  readonly: [],
  masked: [],
  keep: [],
  dieWithParent: true,
  home: '/tmp/home',
  ...overrides,
});

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` in the real launcher for `spec`, as the guarded executor would: `sh -c TEXT`. */
export function runConfined(
  spec: SandboxSpec,
  command: string,
  options: { cwd?: string; env?: Record<string, string> } = {},
): Ran {
  const result = spawnSync('/bin/sh', ['-c', launchWith(sandboxLauncher(spec, 'bash'), command)], {
    cwd: options.cwd ?? '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...options.env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh fixture dir under /srv (outside /tmp, which the sandbox replaces) or the OS temp dir. */
export function fixtureDir(): { path: string; remove: () => void } {
  let path: string;
  try {
    path = mkdtempSync('/srv/fx-sbx-');
  } catch {
    path = mkdtempSync('/var/tmp/fx-sbx-');
  }
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
