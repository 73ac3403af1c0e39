import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A job with no port, healthy while `<app>/fail-verify-<version>` is absent on its target: several of them
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
      `  command: test ! -f ../../fail-verify-${version}`,
      '  interval: 1',
      '  retries: 1',
      ...extra,
      '',
    ].join('\n'),
  );
  return dir;
}

/**
 * Shell text that stops every supervised app under a deploy root (run through `automatos exec`) and
 * waits, at most 15 s, until each supervisor removed its pid files: a supervisor notes its shutdown in
 * shared/logs, so removing the root before it is gone races with that write (ENOTEMPTY).
 */
export function stopAppsUnder(root: string): string {
  const pids = `${root}/*/run/*.pid`;
  return [
    `for p in ${pids}; do [ -f "$p" ] && kill -s TERM -- "-$(cat "$p")"; done;`,
    `i=0; while [ $i -lt 150 ] && ls ${pids} >/dev/null 2>&1; do sleep 0.1; i=$((i+1)); done; true`,
  ].join(' ');
}
