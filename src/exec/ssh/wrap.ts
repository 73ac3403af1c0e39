import { quote } from '../shell.js';

/** What a wrapped command writes first on stderr: `\x1eAUTOMATOS-PGID:<nonce>:<pgid>\n`. */
export function pgidMarker(nonce: string): string {
  return `\x1eAUTOMATOS-PGID:${nonce}:`;
}

/**
 * The text sent to sshd for one command. The login shell exports the environment (no AcceptEnv
 * needed) and enters the cwd, then makes sure the command leads its own process group: OpenSSH
 * already starts each session's shell with setsid(), which `/proc/$$/stat` confirms, so it simply
 * execs (same pid, exit status and signal pass straight through); anywhere else it goes through
 * `setsid -w`. The command's first act is to report its process-group id on stderr, so a timeout or
 * cancel can kill the whole group with a second exec. Env values appear only in this text, which
 * the login shell replaces by `exec` at once: they are not in the long-running processes' argv.
 */
export function wrapCommand(
  command: string,
  options: { nonce: string; env?: Record<string, string>; cwd?: string },
): string {
  // `eval "set --; $1"` runs the command in this same /bin/sh (one exec fewer than `sh -c`, and
  // dash's builtins such as `true` need none) with no positional parameters left over.
  const inner = `printf '\\036AUTOMATOS-PGID:${options.nonce}:%s\\n' "$$" >&2; eval "set --; $1"`;
  const env = Object.entries(options.env ?? {});
  const parts = [
    // Positional parameters, not variables: nothing here can collide with the caller's env names.
    `set -- ${quote(inner)} ${quote(command)}`,
    '_automatos_g=',
    'read -r _ _ _ _ _automatos_g _ 2>/dev/null </proc/$$/stat',
    'if [ "$_automatos_g" = "$$" ] || ! command -v setsid >/dev/null 2>&1; ' +
      'then set -- /bin/sh -c "$1" /bin/sh "$2"; else set -- setsid -w /bin/sh -c "$1" /bin/sh "$2"; fi',
    'unset _automatos_g',
  ];
  if (env.length > 0) parts.push(`export ${env.map(([name, value]) => `${name}=${quote(value)}`).join(' ')}`);
  if (options.cwd !== undefined) parts.push(`cd -- ${quote(options.cwd)} || exit 1`);
  parts.push('exec "$@"');
  return parts.join('; ');
}

/**
 * Stops the process group `pgid` on the host: SIGTERM, then SIGKILL once `graceMs` passed and any
 * member is still alive. Runs on the host itself, so the escalation happens even if we stop waiting.
 */
export function remoteKillCommand(pgid: number, graceMs: number): string {
  if (!Number.isInteger(pgid) || pgid < 2) throw new RangeError(`refusing to kill process group ${pgid}`);
  const rounds = Math.max(1, Math.ceil(graceMs / 100));
  return (
    `kill -s TERM -- -${pgid} 2>/dev/null || kill -s TERM ${pgid} 2>/dev/null || exit 0; i=0; ` +
    `while [ $i -lt ${rounds} ] && kill -s 0 -- -${pgid} 2>/dev/null; do sleep 0.1; i=$((i+1)); done; ` +
    `kill -s KILL -- -${pgid} 2>/dev/null; exit 0`
  );
}

/**
 * Strips the pgid marker from the start of stderr and reports the pgid. Bytes before it (a login
 * shell's rc file noise) and after it pass through unchanged.
 */
export class PgidFilter {
  private pending: Buffer | undefined = Buffer.alloc(0);
  private readonly marker: Buffer;

  constructor(
    nonce: string,
    private readonly onPgid: (pgid: number) => void,
    private readonly emit: (chunk: Buffer) => void,
    private readonly maxSearch = 64 * 1024,
  ) {
    this.marker = Buffer.from(pgidMarker(nonce));
  }

  write(chunk: Buffer): void {
    if (this.pending === undefined) {
      this.emit(chunk);
      return;
    }
    const data = Buffer.concat([this.pending, chunk]);
    const at = data.indexOf(this.marker);
    const end = at < 0 ? -1 : data.indexOf(0x0a, at + this.marker.length);
    if (end >= 0) {
      this.pending = undefined;
      const pgid = Number(data.subarray(at + this.marker.length, end).toString('latin1'));
      if (at > 0) this.emit(data.subarray(0, at));
      if (end + 1 < data.length) this.emit(data.subarray(end + 1));
      if (Number.isInteger(pgid) && pgid > 1) this.onPgid(pgid);
    } else if (data.length > this.maxSearch) {
      this.pending = undefined;
      this.emit(data);
    } else {
      this.pending = data;
    }
  }

  /** Gives up on the marker and passes through whatever was held back. */
  flush(): void {
    const held = this.pending;
    this.pending = undefined;
    if (held !== undefined && held.length > 0) this.emit(held);
  }
}
