/**
 * Data shapes of the policy engine. Everything the walker sees becomes plain data so that rules are
 * pure functions over it and tests can assert on it without a parser.
 */

export type Profile = 'strict' | 'standard' | 'audit';
export const PROFILES: readonly Profile[] = ['strict', 'standard', 'audit'];

/** A word whose value is known before the shell runs. */
export interface LiteralWord {
  literal: string;
  /** Unquoted glob characters (`*`, `?`, `[`) remain: the shell will expand it against the filesystem. */
  glob?: boolean;
  /** Starts with an unquoted `~`: the shell will replace it with a home directory. */
  tilde?: boolean;
}

/** A word whose value depends on the run: variables, command output, brace expansion, stdin. */
export interface DynamicWord {
  dynamic: true;
  text: string;
  /** Names of the commands whose output is substituted into this word (`$(curl …)` → curl). */
  feeds: string[];
  /**
   * Globs covering every value the word may take, one per alternative: each part known only at
   * run time is a `*` (`/proc/$$/environ` → `/proc/*` + `/environ`); variables set earlier in the
   * script contribute their values. A word "could" name any path one of them matches.
   */
  patterns?: string[];
  /** Every alternative is fully known (variables with known values): the patterns are its values. */
  known?: boolean;
}

export type Word = LiteralWord | DynamicWord;

export interface Redirect {
  /** `>`, `>>`, `<`, `&>`, `>&`, `<<`, `<<<`, … */
  op: string;
  target: Word;
  /** Explicit file descriptor (`2>`), if any. */
  fd?: string;
}

export interface PipelineContext {
  /** 0-based position; only commands with index > 0 read the previous command's output. */
  index: number;
  length: number;
  /** Names of every command (including substitutions) upstream in the same pipeline. */
  upstream: string[];
}

export interface Link {
  link: string | null;
  target: string | null;
}

export interface SimpleCommand {
  /** Source text of the simple command as written (innermost parse), for operators to read. */
  text: string;
  /** Command name as resolved; `{literal: ''}` for a redirection-only or assignment-only statement. */
  name: Word;
  args: Word[];
  redirects: Redirect[];
  /** `NAME=value` prefix assignments and `export`/`declare` assignments. */
  assignments: { name: string; value: Word }[];
  /** Heredoc bodies and here-strings fed to this command's stdin (their raw text). */
  stdin: { kind: 'heredoc' | 'herestring'; text: string; dynamic: boolean; feeds: string[] }[];
  pipeline?: PipelineContext;
  /** Runs inside `$(…)`, backticks or `<(…)`/`>(…)`. */
  inSubstitution: boolean;
  /** Runs in the background (`cmd &`). */
  background: boolean;
  /** How many times a string was re-parsed to reach it (`bash -c`, `eval`, …). */
  depth: number;
  /** Wrappers unwrapped to reach it, outermost first (`sudo`, `env`, `bash -c`, …). */
  via: string[];
  /** Working directory when it runs, after `cd` in the same command; null when unknown. */
  cwd: string | null;
  /** The enclosing function definition, if any. */
  inFunction?: string;
  /**
   * Links made earlier in the same command string (`ln -s / /tmp/l`): a path at or under `link` is
   * really at or under `target`. null = known only at run time.
   */
  links?: Link[];
  /** Shell code this command runs that could not be inspected (`bash -c "$X"`, `eval "$(curl …)"`). */
  code?: Word;
}

export interface Finding {
  /** true for a flag: the command may run, but its risk is reported (inline interpreter code). */
  allowed: boolean;
  rule: string;
  reason: string;
  risk: number;
  /** The offending simple command text (or the whole input for tree-level rules). */
  command: string;
}

export interface CheckContext {
  cwd: string;
  /** Directories (or `*`-globs such as `/etc/systemd/system/automatos-*.service`) writes may target. */
  writableRoots?: string[];
  profile?: Profile;
  /** Home directory of the remote user, for `~`; default `/root`. */
  home?: string;
  /** The systemd runtime is used: `automatos-*.service` unit files become writable. */
  systemdUnits?: boolean;
  /**
   * The shell that will run the command (default bash). With `sh` (a host without bash), every
   * construct whose meaning differs in POSIX sh is denied.
   */
  shell?: 'bash' | 'sh';
}

export interface SimpleCommandView {
  text: string;
  name: string;
  args: string[];
  depth: number;
  via: string[];
}

export interface PolicyDecision {
  allowed: boolean;
  decision: 'allow' | 'deny';
  profile: Profile;
  /** Rule that decided: the strongest denial, or `allow` / `allowlist` / `custom_allow:<id>`. */
  rule: string;
  reason: string;
  risk: number;
  /** The offending simple command (empty when allowed). */
  command: string;
  /** Every denial finding (also in audit, where they did not block). */
  findings: Finding[];
  /** In `audit`: the denial that would have applied under `standard` rules. */
  wouldDeny?: Finding;
  /** Every simple command seen, after unwrapping. */
  commands: SimpleCommandView[];
}
