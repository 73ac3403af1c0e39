/** Public API of the confinement boundary: specs, the bubblewrap launcher, systemd's equivalent. */
export { sandboxLauncher, unconfinedLauncher, launchWith, shellArgv, normalizePath } from './launcher.js';
export type { UserShell } from './launcher.js';
export { sandboxProbeCommand, parseSandboxProbe } from './probe.js';
export type { SandboxReport } from './probe.js';
export { systemdHardening } from './systemd.js';
export { PROTECTED_PATHS, RUNTIME_DIRS, appSharedGlob } from './protected.js';
export {
  SANDBOX_MODES,
  SANDBOX_REFUSED_EXIT,
  SANDBOX_UNAVAILABLE_EXIT,
  SANDBOX_UNAVAILABLE_MARK,
} from './types.js';
export type { SandboxMode, SandboxSpec } from './types.js';
