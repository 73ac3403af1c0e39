/**
 * The `process` runtime's supervisor: a POSIX sh script shipped as data (written to
 * `<appDir>/run/supervise.sh` by a planned command) so it works on any host with /bin/sh.
 *
 *   supervise.sh APP_DIR APP -- COMMAND [ARG…]
 *
 * - leads its own session (it is started through `setsid`) and writes its pid to run/APP.pid;
 * - runs COMMAND in APP_DIR/current (resolved at each start), in a new session of its own (COMMAND
 *   is the app's sandbox launcher, which loads shared/.env inside the sandbox), so the child's whole process group can be stopped; the child's pid goes to
 *   run/APP.child.pid, its output is appended to shared/logs/APP.log;
 * - restarts COMMAND whenever it exits, waiting 1s, 2s, 4s … capped at 30s between attempts; a run
 *   that stayed up 60s resets the backoff to 1s;
 * - on TERM, INT or HUP sends TERM to the child's group, waits up to AUTOMATOS_STOP_GRACE seconds
 *   (default 10) for it to go, KILLs what is left, removes both pid files and exits 0.
 *
 * Liveness checks ignore zombies: on hosts whose pid 1 never reaps (some containers), an orphan's
 * zombie would otherwise keep `kill -s 0 -- -PGID` succeeding forever. Signals are always named
 * with `-s`: dash rejects `kill -TERM -- -PGID` ("Illegal number: -"), bash and dash both accept
 * `kill -s TERM -- -PGID`.
 */
export const SUPERVISOR_SCRIPT = `#!/bin/sh
# Automatos process supervisor. Written by automatos on every release; do not edit.
# usage: supervise.sh APP_DIR APP -- COMMAND [ARG...]
set -u
if [ $# -lt 4 ] || [ "$3" != -- ]; then
  echo 'usage: supervise.sh APP_DIR APP -- COMMAND [ARG...]' >&2
  exit 64
fi
app_dir=$1
app=$2
shift 3
pid_file="$app_dir/run/$app.pid"
child_file="$app_dir/run/$app.child.pid"
log_file="$app_dir/shared/logs/$app.log"
grace=\${AUTOMATOS_STOP_GRACE:-10}
case $grace in '' | *[!0-9]*) grace=10 ;; esac
child=
sleeper=
cd "$app_dir" || exit 1

note() {
  printf '%s automatos-supervisor[%s]: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$" "$*" >>"$log_file"
}

# Is a live (non-zombie) process left in process group $1?
group_alive() {
  kill -s 0 -- "-$1" 2>/dev/null || return 1
  [ -r /proc/self/stat ] || return 0
  for f in /proc/[0-9]*/stat; do
    read -r line 2>/dev/null <"$f" || continue
    rest=\${line##*) }
    state=\${rest%% *}
    rest=\${rest#* }
    rest=\${rest#* }
    [ "\${rest%% *}" = "$1" ] && [ "$state" != Z ] && return 0
  done
  return 1
}

# TERM to process group $1, up to $grace seconds for it to go, then KILL to what is left.
stop_group() {
  kill -s TERM -- "-$1" 2>/dev/null || kill -s TERM "$1" 2>/dev/null
  i=0
  while [ "$i" -lt $((grace * 5)) ]; do
    jobs >/dev/null 2>&1 # reaps our child if it exited, so its zombie stops counting as alive
    group_alive "$1" || return 0
    sleep 0.2
    i=$((i + 1))
  done
  note "process group $1 still alive after \${grace}s: KILL"
  kill -s KILL -- "-$1" 2>/dev/null
}

shutdown() {
  trap '' TERM INT HUP
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  if [ -n "$child" ]; then
    note "stopping process group $child"
    stop_group "$child"
  fi
  note 'stopped'
  rm -f "$child_file" "$pid_file"
  exit 0
}
trap shutdown TERM INT HUP

echo "$$" >"$pid_file.tmp" && mv -f "$pid_file.tmp" "$pid_file" || exit 1
if command -v setsid >/dev/null 2>&1; then new_session=setsid; else new_session=; fi
delay=1
while :; do
  started=$(date +%s)
  # A background job is not a group leader, so setsid makes it one without forking: $! is the
  # session leader and its pid is the process group to stop.
  # The env file is not read here: the app's sandbox loads it, since a confined command can write
  # the shared/ dir it lives in and this shell runs unconfined.
  $new_session /bin/sh -c 'cd -P "$1/current" || exit 1; shift; exec "$@"' \\
    automatos-app "$app_dir" "$@" >>"$log_file" 2>&1 </dev/null &
  child=$!
  echo "$child" >"$child_file"
  note "started $* (pid $child)"
  wait "$child"
  code=$?
  # Whatever the command left behind in its group would hold the port of the next start.
  if group_alive "$child"; then stop_group "$child"; fi
  child=
  rm -f "$child_file"
  up=$(($(date +%s) - started))
  if [ "$up" -ge 60 ]; then delay=1; fi
  note "exited with status $code after \${up}s; restarting in \${delay}s"
  sleep "$delay" &
  sleeper=$!
  wait "$sleeper"
  sleeper=
  delay=$((delay * 2))
  if [ "$delay" -gt 30 ]; then delay=30; fi
done
`;
