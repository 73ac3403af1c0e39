import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A job with no port, healthy while `<app>/shared/fail-verify-<version>` is absent on its target: several of them
 * can run on this one machine as "several hosts" without fighting over a port.
 */
export async function writeJobApp(
  dir: string,
  version = '1.0.0',
  extra: readonly string[] = [],
): Promise<string> {
  await cp(join(import.meta.dirname, '..', '..', 'examples', 'node-http'), dir, { recursive: true });
  await writeFile(
    join(dir, 'ai-module.yaml'),
    [
      'name: fleet-job',
      `version: ${version}`,
      'description: a long-running job checked by a command',
      'module_type: automation',
      'build_command: "true"',
      'start_command: sleep 100000',
      'health_check:',
      '  type: command',
      // The release dir and shared/ are what its confined check sees of the app dir.
      `  command: test ! -f ../../shared/fail-verify-${version}`,
      '  interval: 1',
      '  retries: 1',
      ...extra,
      '',
    ].join('\n'),
  );
  return dir;
}

/**
 * Stops every supervised app under a deploy root and waits, at most 15 s, until each supervisor
 * removed its pid files: a supervisor notes its shutdown in shared/logs, so removing the root before
 * it is gone races with that write (ENOTEMPTY). The test process does it itself: the targets are
 * this machine, and `automatos exec` runs confined in its own PID namespace, where it cannot (and
 * must not) signal a supervisor.
 */
export async function stopAppsUnder(root: string): Promise<void> {
  const pidFiles = (): string[] => {
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((app) => {
      const run = join(root, app, 'run');
      return existsSync(run)
        ? readdirSync(run)
            .filter((name) => name.endsWith('.pid') && !name.endsWith('.child.pid'))
            .map((name) => join(run, name))
        : [];
    });
  };
  for (const file of pidFiles()) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid < 2) continue;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 150 && pidFiles().length > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
}
