/**
 * What a confined command may touch. Plans carry it as data next to each command Automatos did not
 * build itself; the guarded executor turns it into a bubblewrap launch on the target.
 */
export interface SandboxSpec {
  /** Paths the command may write (bound read-write), besides a private /tmp. Absolute or `~/…`. */
  readonly writable: readonly string[];
  /**
   * Paths inside a writable one bound read-only again: files that commands Automatos built (and so
   * run unconfined) read or write, such as the env file and the log dir, which a confined command
   * must not swap for a symlink.
   */
  readonly readonly: readonly string[];
  /** Paths hidden from the command, besides the built-in protected list. May end in a glob. */
  readonly masked: readonly string[];
  /** Masked paths that stay visible: the app's own `shared/` among the `<root>/*∕shared` of all apps. */
  readonly keep: readonly string[];
  /**
   * Stop the whole sandbox with its parent (commands with a timeout). An app started by its
   * supervisor leaves it off so a stop signal reaches the app and it can shut down gracefully.
   */
  readonly dieWithParent: boolean;
  /**
   * HOME inside: homes are masked, so package managers' caches go here (an app's own `shared/home`,
   * kept across releases; a private dir under /tmp for `exec`).
   */
  readonly home: string;
}

/** How a target runs confined commands: in bubblewrap, or (the operator's explicit choice) unconfined. */
export const SANDBOX_MODES = ['bwrap', 'off'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

/** The exit status and stderr line of a launcher that found no sandbox on the host. */
export const SANDBOX_UNAVAILABLE_EXIT = 125;
export const SANDBOX_UNAVAILABLE_MARK = 'automatos-sandbox: unavailable:';
/** The exit status of a launcher that refused to set up a sandbox it could not make safe. */
export const SANDBOX_REFUSED_EXIT = 126;
