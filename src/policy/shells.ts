import { SHELLS } from './wrappers.js';

/**
 * Which shell runs a string of code. The executor runs every command with bash, but code handed to
 * `sh -c`, `dash`, `watch`, `flock -c`, `system()` or an option such as `tar -I` is run by
 * /bin/sh, which is dash on Debian and Ubuntu and BusyBox ash on Alpine: there, bash-only syntax
 * means something else, so the walker checks it as POSIX sh.
 */
const POSIX_RUNNERS = new Set(['sh', 'dash', 'ash', 'posh', 'watch', 'flock']);

/** Does `name` run its code string with POSIX sh? Wrappers that reuse the caller's shell inherit. */
export function runsPosix(name: string, inherited: boolean): boolean {
  if (POSIX_RUNNERS.has(name)) return true;
  if (SHELLS.has(name)) return false;
  return inherited;
}
