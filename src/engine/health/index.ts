export { probeOnce } from './probe.js';
export { verifyHealth } from './verify.js';
export { httpRequest, parseStatusLine, responseBody, statusMatches } from './http.js';
export type {
  Connect,
  HealthAttempt,
  HealthVerdict,
  ProbeOptions,
  ProbeResult,
  RunCheckCommand,
  Sleep,
  VerifyDeps,
} from './types.js';
