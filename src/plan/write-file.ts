import { argv, chain, script, type Command } from './command.js';
import { basename } from 'node:path/posix';
import { shellQuote } from './quote.js';

/**
 * Writes stdin to `path` with `mode`, atomically: into `path.next` created under umask 077 (so a
 * secret is never readable, not even for a moment), then chmod and rename over. Plain `cat` rather
 * than `install /dev/stdin`, which cannot open a socket stdin (ENXIO) as local commands get.
 */
export function writeFileFromStdin(
  path: string,
  mode: string,
  origin: string,
  /** Where the temporary file goes when `path`'s dir is writable by confined commands. */
  tempDir?: string,
): Command {
  const next = tempDir === undefined ? `${path}.next` : `${tempDir}/${basename(path)}.next`;
  return chain(
    argv('umask', '077'),
    script(`cat > ${shellQuote(next)}`, origin),
    argv('chmod', mode, next),
    argv('mv', '-f', next, path),
  );
}
