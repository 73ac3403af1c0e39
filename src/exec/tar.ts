import { quote } from './shell.js';

/**
 * The exact shell text that unpacks an upload on the host: both executors run it with the tar stream
 * on stdin, so the guarded executor can policy-check this same string. `-p` keeps modes, `-o` gives
 * the files to the user running it instead of the orchestrator's uid.
 */
export function remoteUntarCommand(dir: string): string {
  const target = quote(dir);
  return `mkdir -p -- ${target} && tar -x -p -o -f - -C ${target}`;
}

/** argv of the local `tar -c` that streams `localDir` (symlinks kept as links, excludes honored). */
export function tarCreateArgs(localDir: string, exclude: readonly string[] = []): string[] {
  return ['-c', '-f', '-', ...exclude.map((pattern) => `--exclude=${pattern}`), '-C', localDir, '.'];
}
