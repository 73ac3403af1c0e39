import { AutomatosError } from '../core/index.js';

/** `--port N` as typed: digits only, so `80abc` or `0x50` is refused rather than guessed at. */
export function parsePortOption(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65_535)) {
    throw new AutomatosError('AUT_USAGE', `--port must be an integer from 1 to 65535, got "${text}"`);
  }
  return port;
}
