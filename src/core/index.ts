export {
  AutomatosError,
  clientDetails,
  ERROR_CODES,
  isAutomatosError,
  isErrorCode,
  exitCodeFor,
} from './errors.js';
export type { ErrorCode, ErrorOptions } from './errors.js';
export { resolveDataDir } from './data-dir.js';
export { shellQuote } from './shell-quote.js';
export { VERSION } from './version.js';
