// The adversarial corpus of test/e2e/confinement.test.ts: commands an attacker with an operator key
// would send to `exec`, each with a harmless payload aimed at a canary the test planted. They are
// data: a template with @NAME@ placeholders the world (./world.ts) fills in for each run.
//
//   @OUT@     a fresh directory outside every writable root (/srv/automatos-fx-…/out/<run>/<id>)
//   @M@       @OUT@/m, a marker that must not appear
//   @V@       @OUT@/victim, an existing file that must not change (content, mode, owner, times)
//   @ETC@     /etc/automatos-fx-…, a canary file in /etc that must not change
//   @DATAFX@  a directory inside the orchestrator's data dir (masked)
//   @APPW@    a directory under the target's deploy root (writable for the policy, not for exec)
//   @TMP@     a path under /tmp, unique per run (private inside the sandbox)
//   @S@       the probe's canary secret file; @SD@ its directory, @SN@ its name, @SG@ a glob of it
//   @DATA@    the orchestrator's data dir; @APPROOT@ the target's deploy root
//   @PID@     a canary process (a `sleep 600` under a unique name @PNAME@, cwd @OUT@, stdout
//             @OUT@/canary.out, FXENV=<canary> in its environment)
//
// Effects: `write` (anything under @OUT@, @ETC@, @DATAFX@ or @APPW@ changed, or a mount appeared
// there), `secret` (a canary secret, as typed or encoded, in the output or in a file under @OUT@),
// `kill` (the canary process died, stopped or was reniced).

export type EffectClass = 'write' | 'secret' | 'kill';

/** Where a `secret` probe's canary lives: each is a path the sandbox must keep hidden. */
export type SecretKind =
  | 'data' // a canary file inside the orchestrator's data dir (AUTOMATOS_HOME)
  | 'mkey' // the data dir's real master.key (a throwaway data dir)
  | 'root' // /root/.ssh/<canary>
  | 'home' // /home/<fake user>/.ssh/<canary>
  | 'ssl' // /etc/ssl/private/<canary>.key
  | 'hostkey' // /etc/ssh/ssh_host_<fx>_key
  | 'env' // another app's <root>/<app>/shared/.env
  | 'environ' // the canary process's environment, through /proc/<pid>/environ
  | 'cloud' // /home/<fake user>/.aws/credentials: another account's credentials
  | 'caddy'; // /var/lib/caddy/…/certificates/…/<name>.key: the reverse proxy's TLS private key

export const SECRET_FILES: readonly SecretKind[] = ['data', 'mkey', 'root', 'home', 'ssl', 'hostkey', 'env'];

export type Vars = Readonly<Record<string, string>>;

export interface Probe {
  id: string;
  class: EffectClass;
  /** The family of attack (issue 11's classes and ours). */
  shape: string;
  command: string | ((v: Vars) => string);
  /** For `secret`: which canary @S@ is. */
  secret?: SecretKind;
  /** The canary process is a real `sleep 600` (comm `sleep`), for probes naming `sleep`. */
  sleepCanary?: boolean;
  /** Wait this long before looking for the effect (the probe acts in the background). */
  settleMs?: number;
  /**
   * Programs (or absolute paths that must be readable) the control needs; when one is missing here
   * the control expects no effect.
   */
  needs?: readonly string[];
  /**
   * Why the control cannot show an effect: `none` runs it and expects none (the reason says why),
   * `skip` never runs it unconfined (it would hurt this shared machine).
   */
  control?: { expect: 'none' | 'skip'; why: string };
}

/**
 * Init's root and namespaces: on some machines pid 1 is not dumpable and even unconfined root gets
 * EACCES there; the same shapes aimed at the canary process show the effect.
 */
const PROC1 = '/proc/1/root/';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const hex = (text: string): string => Buffer.from(text).toString('hex');
const rot13 = (text: string): string =>
  text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
const fill = (template: string, v: Vars): string =>
  template.replace(/@([A-Z]+)@/g, (_m, k: string) => v[k] ?? '');

type Row = [id: string, shape: string, command: Probe['command'], extra?: Partial<Probe>];

const rows = (cls: EffectClass, list: readonly Row[]): Probe[] =>
  list.map(([id, shape, command, extra]) => ({ id, class: cls, shape, command, ...extra }));

const BASH_ONLY = {
  expect: 'none',
  why: 'the executor runs bash, which reads this as the policy does; only dash (sh) runs the payload',
} as const;

/** Markers outside the writable roots, system files, the data dir, modes and owners. */
const WRITES: readonly Row[] = [
  // Plain writes, the baseline every other shape disguises.
  ['touch', 'plain', 'touch @M@'],
  ['redirect', 'plain', 'echo fx > @M@'],
  ['bare-redirect', 'plain', '>@M@'],
  ['append-victim', 'plain', 'echo fx >> @V@'],
  ['cd-root-touch', 'cd', 'cd /; touch @M@'],
  ['cd-out-touch', 'cd', 'cd @OUT@ && touch m'],
  ['subshell-cd', 'cd', '(cd @OUT@; echo fx > m)'],
  ['pushd', 'cd', 'pushd @OUT@ >/dev/null && touch m'],
  ['cd-dotdot', 'cd', 'cd /tmp && touch ../@OUTREL@/m'],
  ['mkdir', 'plain', 'mkdir @OUT@/d'],
  ['cp', 'plain', 'cp /etc/hostname @M@'],
  ['tee', 'plain', 'echo fx | tee @M@ >/dev/null'],
  ['dd', 'plain', 'dd if=/dev/zero of=@M@ bs=1 count=1 status=none'],
  ['dd-notrunc', 'plain', 'printf X | dd of=@V@ conv=notrunc status=none'],
  ['rm-victim', 'plain', 'rm -f @V@'],
  ['mv-victim', 'plain', 'mv @V@ @M@'],
  ['truncate', 'plain', 'truncate -s 0 @V@'],
  ['colon-truncate', 'plain', ': > @V@'],
  ['install', 'plain', 'install -m 644 /etc/hostname @M@'],
  ['mkfifo', 'plain', 'mkfifo @M@'],
  ['touch-date', 'plain', 'touch -d 2000-01-01 @V@'],
  ['exec-fd', 'redirection', 'exec 3>@M@; echo fx >&3'],
  ['group-redirect', 'redirection', '{ echo fx; } > @M@'],
  ['tar-create', 'plain', 'tar -cf @M@ -C /etc hostname'],
  ['zip', 'plain', 'zip -q @M@ /etc/hostname'],
  ['split', 'plain', 'split -b 4 /etc/hostname @OUT@/part'],
  ['git-init', 'plain', 'git init -q @OUT@/repo'],
  ['curl-file', 'plain', 'curl -s file:///etc/hostname -o @M@'],
  ['find-delete', 'plain', 'find @OUT@ -name victim -delete'],
  ['find-exec-rm', 'plain', 'find @OUT@ -name victim -exec rm {} \\;'],
  ['find-fprint', 'plain', 'find /etc/hostname -fprint @M@'],
  ['xargs-touch', 'plain', 'echo @M@ | xargs touch'],
  ['here-string-xargs', 'plain', 'xargs touch <<< @M@'],
  ['sed-w', 'plain', "sed -n 'w @M@' /etc/hostname"],
  ['strace-o', 'plain', 'strace -o @M@ true'],
  ['flock', 'plain', 'flock @V@ touch @M@'],
  // Into /etc: a canary file there, never a real one.
  ['etc-append', 'etc', 'echo fx >> @ETC@'],
  ['etc-sed-i', 'etc', 'sed -i s/fx/pwned/ @ETC@'],
  ['etc-rm', 'etc', 'rm -f @ETC@'],
  ['etc-chmod', 'etc', 'chmod 666 @ETC@'],
  ['etc-cp-over', 'etc', 'cp /etc/hostname @ETC@'],
  ['etc-tee-a', 'etc', 'echo fx | tee -a @ETC@'],
  // The orchestrator's data dir (its database, keys, audit checkpoints live there).
  ['data-write', 'data-dir', 'echo fx > @DATAFX@/m'],
  ['data-sqlite', 'data-dir', "sqlite3 @DATAFX@/fx.db 'create table t(x)'"],
  ['data-rm-rf', 'data-dir', 'rm -rf @DATAFX@'],
  // The deploy root: writable for the policy, but `exec` gets nothing writable but its /tmp.
  ['approot-touch', 'app-root', 'touch @APPW@/m'],
  ['approot-rm', 'app-root', 'rm -rf @APPW@'],
  // Modes and owners of files outside.
  ['chmod-777', 'chmod', 'chmod 777 @V@'],
  ['chmod-setuid', 'setuid', 'chmod u+s @V@'],
  ['chown', 'chown', 'chown 65534 @V@'],
  ['chgrp', 'chown', 'chown :65534 @V@'],
  ['setuid-copy', 'setuid', 'cp /usr/bin/touch @OUT@/t && chmod 4755 @OUT@/t'],
  ['setuid-tmp-exec', 'setuid', 'cp /usr/bin/touch @TMP@ && chmod 4755 @TMP@ && @TMP@ @M@'],
  // dash/bash differentials: what bash reads as one harmless command, dash runs as two.
  ['diff-ansi-quote', 'dash-bash', "echo $'\\' ; touch @M@ ; # '", { control: BASH_ONLY }],
  ['diff-arith', 'dash-bash', '((touch @M@))', { control: BASH_ONLY }],
  ['diff-sh-c-ansi', 'dash-bash', "sh -c \"echo \\$'\\\\' ; touch @M@ ; # '\""],
  ['diff-sh-c-arith', 'dash-bash', "sh -c '((touch @M@))'"],
  ['diff-dash-c-arith', 'dash-bash', "dash -c '((touch @M@))'"],
  ['diff-pipe-sh-ansi', 'dash-bash', "printf '%s' \"echo \\$'\\\\' ; touch @M@ ; # '\" | sh"],
  ['diff-pipe-sh-arith', 'dash-bash', "echo '((touch @M@))' | sh"],
  ['diff-env-sh', 'dash-bash', "env sh -c '((touch @M@))'"],
  // Wrappers, with the assignments and options that hide the real command.
  ['sudo-assign', 'wrapper', 'sudo A=1 touch @M@', { needs: ['sudo'] }],
  ['sudo-s', 'wrapper', "echo 'touch @M@' | sudo -s", { needs: ['sudo'] }],
  ['doas', 'wrapper', 'doas touch @M@', { needs: ['doas'] }],
  ['env-assign', 'wrapper', 'env A=1 touch @M@'],
  ['env-dotted-assign', 'wrapper', 'env A.B=1 touch @M@'],
  ['env-i-dotted', 'wrapper', 'env -i A.B=1 /usr/bin/touch @M@'],
  ['env-u', 'wrapper', 'env -u HOME touch @M@'],
  ['env-chdir', 'wrapper', 'env --chdir=@OUT@ touch m'],
  ['env-S', 'wrapper', "env -S 'touch @M@'"],
  ['prefix-assign', 'wrapper', 'A=1 B=2 touch @M@'],
  ['nice-env', 'wrapper', 'nice -n 5 env A.B=1 touch @M@'],
  ['timeout-env', 'wrapper', 'timeout -s KILL 5 env X=1 touch @M@'],
  ['nohup', 'wrapper', 'nohup touch @M@ >/dev/null 2>&1'],
  ['stdbuf', 'wrapper', 'stdbuf -oL env A.B=1 touch @M@'],
  ['ionice', 'wrapper', 'ionice -c3 touch @M@'],
  ['taskset', 'wrapper', 'taskset -c 0 touch @M@'],
  ['setsid', 'wrapper', 'setsid touch @M@'],
  ['setpriv', 'wrapper', 'setpriv --reuid=0 touch @M@'],
  ['runuser', 'wrapper', 'runuser -u root -- env A.B=1 touch @M@'],
  ['su-c', 'wrapper', "su root -c 'touch @M@'"],
  ['su-pipe', 'wrapper', "echo 'touch @M@' | su root"],
  ['chroot', 'wrapper', 'chroot / touch @M@'],
  ['capsh', 'wrapper', "capsh -- -c 'touch @M@'"],
  ['command-p', 'wrapper', 'command -p touch @M@'],
  ['exec-env', 'wrapper', 'exec env A.B=1 touch @M@'],
  ['time', 'wrapper', 'time touch @M@'],
  ['script', 'wrapper', "script -qc 'touch @M@' /dev/null"],
  ['tmux', 'wrapper', "tmux -S @TMP@.sock new-session -d 'touch @M@'", { settleMs: 1500 }],
  // Globs and variables: the path the policy reads is not the path that is written.
  ['glob-dir', 'glob', 'd=(@OUTG@); echo fx > "$d/m"'],
  ['glob-victim', 'glob', 'touch @OUT@/vic*'],
  ['glob-etc', 'glob', 'echo fx >> @ETCG@'],
  ['var-path', 'variable', 'f=@M@; touch "$f"'],
  ['var-dir', 'variable', 'd=@OUT@; echo fx > "$d/m"'],
  ['var-split', 'variable', 'p=/srv; touch $p@OUTTAIL@/m'],
  ['var-substring', 'variable', 'x=${HOME:0:0}@M@; touch $x'],
  ['var-indirect', 'variable', 'x=@M@; y=x; touch "${!y}"'],
  ['var-cmd-name', 'variable', 'cmd=touch; $cmd @M@'],
  ['array-cmd', 'variable', 'a=(touch @M@); "${a[@]}"'],
  ['ifs-split', 'variable', 'IFS=:; c="touch:@M@"; $c'],
  ['printf-v', 'variable', 'printf -v c touch; $c @M@'],
  ['param-default', 'variable', '${PATH:+touch} @M@'],
  ['brace-command', 'glob', '{touch,@M@}'],
  ['quoted-name', 'quoting', '\'to\'"uch" @M@'],
  ['backslash-name', 'quoting', 't\\ouch @M@'],
  ['ansi-name', 'quoting', "$'\\x74ouch' @M@"],
  ['empty-quotes', 'quoting', "tou''ch @M@"],
  ['glob-binary', 'glob', '/usr/bin/t?uch @M@'],
  ['glob-binary-deep', 'glob', '/???/???/touc[h] @M@'],
  ['cmdsub-name', 'substitution', '$(echo touch) @M@'],
  ['backtick-name', 'substitution', '`echo touch` @M@'],
  ['cmdsub-arg', 'substitution', 'echo $(touch @M@)'],
  ['param-cmdsub', 'substitution', ': ${x:=$(touch @M@)}'],
  ['procsub', 'substitution', 'cat <(touch @M@)'],
  ['heredoc-cmdsub', 'substitution', 'cat <<EOF\n$(touch @M@)\nEOF'],
  ['arith-cmdsub', 'substitution', 'echo $((1 + $(touch @M@; echo 1)))'],
  ['array-index-cmdsub', 'substitution', 'declare -a a; a[$(touch @M@; echo 0)]=1'],
  ['test-v-index', 'substitution', "[[ -v 'a[$(touch @M@)]' ]]"],
  ['eval', 'eval', "eval 'touch @M@'"],
  ['eval-cmdsub', 'eval', 'eval "$(echo touch @M@)"'],
  ['eval-var', 'eval', "x='$(touch @M@)'; eval echo $x"],
  ['function', 'control-flow', 'f() { touch @M@; }; f'],
  ['trap-exit', 'control-flow', "trap 'touch @M@' EXIT"],
  ['for-loop', 'control-flow', 'for f in @M@; do touch $f; done'],
  ['while-read', 'control-flow', 'echo @M@ | while read f; do touch "$f"; done'],
  ['case', 'control-flow', 'case x in x) touch @M@;; esac'],
  ['coproc', 'control-flow', 'coproc touch @M@; wait'],
  ['background', 'control-flow', 'touch @M@ & wait'],
  ['source-procsub', 'control-flow', 'source <(echo touch @M@)'],
  ['dot-stdin', 'control-flow', '. /dev/stdin <<< "touch @M@"'],
  // Pipes into a shell, and shells given a string.
  ['pipe-sh', 'pipe-shell', "echo 'touch @M@' | sh"],
  ['pipe-bash', 'pipe-shell', "echo 'touch @M@' | bash"],
  ['pipe-bash-s', 'pipe-shell', "printf 'touch %s\\n' @M@ | bash -s"],
  ['heredoc-sh', 'pipe-shell', "sh <<'EOF'\ntouch @M@\nEOF"],
  ['herestring-bash', 'pipe-shell', "bash <<< 'touch @M@'"],
  ['bash-c', 'pipe-shell', "bash -c 'touch @M@'"],
  ['bash-c-cmdsub', 'pipe-shell', 'bash -c "$(echo touch @M@)"'],
  ['script-file', 'pipe-shell', "echo 'touch @M@' > @TMP@.sh; sh @TMP@.sh"],
  ['xargs-sh', 'pipe-shell', "echo 'touch @M@' | xargs -I{} sh -c '{}'"],
  ['find-exec-sh', 'pipe-shell', "find /etc/hostname -exec sh -c 'touch @M@' \\;"],
  // Encoded payloads decoded on the host.
  ['base64-sh', 'decode', (v) => `echo ${b64(fill('touch @M@', v))} | base64 -d | sh`],
  ['base64-bash-c', 'decode', (v) => `bash -c "$(echo ${b64(fill('touch @M@', v))} | base64 -d)"`],
  ['base64-eval', 'decode', (v) => `eval "$(base64 -d <<< ${b64(fill('touch @M@', v))})"`],
  ['hex-xxd', 'decode', (v) => `echo ${hex(fill('touch @M@', v))} | xxd -r -p | sh`],
  [
    'printf-hex',
    'decode',
    (v) =>
      `printf '${[...fill('touch @M@', v)].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join('')}' | sh`,
  ],
  ['printf-octal-name', 'decode', "$(printf '\\164\\157\\165\\143\\150') @M@"],
  ['rev-sh', 'decode', (v) => `echo '${[...fill('touch @M@', v)].reverse().join('')}' | rev | sh`],
  ['rot13-sh', 'decode', (v) => `echo '${rot13(fill('touch @M@', v))}' | tr 'A-Za-z' 'N-ZA-Mn-za-m' | sh`],
  ['openssl-b64', 'decode', (v) => `echo ${b64(fill('touch @M@', v))} | openssl base64 -d | sh`],
  [
    'python-b64',
    'decode',
    (v) => `python3 -c "import base64,os; os.system(base64.b64decode('${b64(fill('touch @M@', v))}'))"`,
  ],
  // Inline interpreters and tools that run commands of their own.
  ['python-os-system', 'interpreter', 'python3 -c "import os; os.system(\'touch @M@\')"'],
  ['python-open', 'interpreter', "python3 -c \"open('@M@','w').write('fx')\""],
  ['python-subprocess', 'interpreter', "python3 -c \"import subprocess; subprocess.run(['touch','@M@'])\""],
  ['python-rmtree', 'interpreter', 'python3 -c "import shutil; shutil.rmtree(\'@OUT@\')"'],
  ['python-chmod', 'interpreter', 'python3 -c "import os; os.chmod(\'@V@\', 0o4777)"'],
  ['python-stdin', 'interpreter', "python3 - <<'EOF'\nopen('@M@', 'w').write('fx')\nEOF"],
  ['python-pty', 'interpreter', "python3 -c \"import pty; pty.spawn(['touch','@M@'])\""],
  ['node-e-write', 'interpreter', "node -e \"require('fs').writeFileSync('@M@','fx')\""],
  ['node-eval-exec', 'interpreter', "node --eval \"require('child_process').execSync('touch @M@')\""],
  ['node-p-rm', 'interpreter', "node -p \"require('fs').rmSync('@V@')\""],
  ['perl-open', 'interpreter', 'perl -e \'open(F, ">@M@"); print F "fx"\''],
  ['perl-system', 'interpreter', 'perl -e \'system("touch @M@")\''],
  ['perl-unlink', 'interpreter', 'perl -e \'unlink "@V@"\''],
  ['perl-pi', 'interpreter', 'perl -pi -e s/victim/pwned/ @V@'],
  ['awk-system', 'interpreter', 'awk \'BEGIN{system("touch @M@")}\''],
  ['awk-print-file', 'interpreter', 'awk \'BEGIN{print "fx" > "@M@"}\''],
  ['awk-getline', 'interpreter', 'awk \'BEGIN{"touch @M@" | getline}\''],
  ['awk-pipe-sh', 'interpreter', 'awk \'BEGIN{print "touch @M@" | "sh"}\''],
  ['sed-e', 'interpreter', "sed -n '1e touch @M@' /etc/hostname"],
  ['tclsh', 'interpreter', "echo 'set f [open @M@ w]; puts $f fx; close $f' | tclsh"],
  ['vim-es', 'interpreter', 'vim -es -N -u NONE -c \'call writefile(["fx"], "@M@")\' -c \'qa!\''],
  ['ex-bang', 'interpreter', "ex -s -N -u NONE -c '!touch @M@' -c 'qa!'"],
  ['ed-bang', 'interpreter', "printf '!touch @M@\\nq\\n' | ed -s"],
  ['sqlite-shell', 'interpreter', "sqlite3 :memory: '.shell touch @M@'"],
  ['sqlite-output', 'interpreter', "sqlite3 :memory: '.output @M@' 'select 1;'"],
  ['make-stdin', 'interpreter', "printf 'x:\\n\\ttouch @M@\\n' | make -s -f -"],
  ['make-eval', 'interpreter', "make -s -f /dev/null --eval='x: ; touch @M@' x"],
  [
    'tar-checkpoint',
    'interpreter',
    "tar -cf /dev/null /etc/hostname --checkpoint=1 --checkpoint-action=exec='touch @M@'",
  ],
  ['tar-to-command', 'interpreter', "tar -cf - -C /etc hostname | tar -xf - --to-command='touch @M@'"],
  ['zip-TT', 'interpreter', "zip -q @TMP@.zip /etc/hostname -T -TT 'touch @M@ #'"],
  ['gdb-shell', 'interpreter', "gdb -batch -nx -ex 'shell touch @M@'"],
  ['git-alias', 'git', "mkdir @TMP@ && cd @TMP@ && git init -q && git config alias.x '!touch @M@' && git x"],
  ['git-c-alias', 'git', "git -c alias.x='!touch @M@' x"],
  ['git-ssh-command', 'git', "git -c core.sshCommand='touch @M@ #' ls-remote ssh://h/r"],
  ['git-ssh-env', 'git', "GIT_SSH_COMMAND='touch @M@ #' git ls-remote ssh://h/r"],
  [
    'git-fsmonitor',
    'git',
    "mkdir @TMP@ && cd @TMP@ && git init -q && git -c core.fsmonitor='touch @M@ #' status",
  ],
  // /proc: another process's root, cwd and fds lead outside.
  ['proc-self-root', 'proc', 'echo fx > /proc/self/root@M@'],
  ['proc-1-root', 'proc', 'touch /proc/1/root@M@', { needs: [PROC1] }],
  ['proc-shell-root', 'proc', 'touch /proc/$$/root@M@'],
  ['proc-pid-cwd', 'proc', 'touch /proc/@PID@/cwd/m'],
  ['proc-pid-cd-cwd', 'proc', 'cd /proc/@PID@/cwd && echo fx > m'],
  ['proc-pid-fd', 'proc', 'echo fx >> /proc/@PID@/fd/1'],
  ['proc-pid-root', 'proc', 'echo fx > /proc/@PID@/root@M@'],
  // Links from the private /tmp to outside.
  ['symlink-dir', 'symlink', 'ln -s @OUT@ @TMP@ && echo fx > @TMP@/m'],
  ['symlink-file', 'symlink', 'ln -s @V@ @TMP@ && echo fx >> @TMP@'],
  ['symlink-root', 'symlink', 'ln -s / @TMP@ && touch @TMP@@M@'],
  ['symlink-proc-root', 'symlink', 'ln -s /proc/self/root @TMP@ && touch @TMP@@M@'],
  ['symlink-cp-into', 'symlink', 'ln -sf @OUT@ @TMP@ && cp /etc/hostname @TMP@/'],
  [
    'symlink-tar',
    'symlink',
    'mkdir @TMP@ @TMP@x && ln -s @OUT@ @TMP@/l && tar -cf @TMP@.tar -C @TMP@ l && tar -xf @TMP@.tar -C @TMP@x && echo fx > @TMP@x/l/m',
  ],
  ['hardlink-victim', 'hardlink', 'ln @V@ @TMP@ && echo fx >> @TMP@'],
  ['hardlink-inside', 'hardlink', 'ln @V@ @OUT@/h'],
  ['hardlink-cp-l', 'hardlink', 'cp -l @V@ @M@'],
  ['hardlink-link', 'hardlink', 'link @V@ @M@'],
  // Mounts and namespaces.
  ['mount-tmpfs', 'mount', 'mount -t tmpfs fx @OUT@'],
  ['mount-bind', 'mount', 'mkdir -p @TMP@ && mount --bind @TMP@ @OUT@'],
  ['mount-remount-rw', 'mount', 'mount -o remount,rw / 2>/dev/null; touch @M@'],
  ['mount-remount-bind', 'mount', 'mount -o remount,rw,bind @OUT@ @OUT@ 2>/dev/null; touch @M@'],
  ['umount-write', 'mount', 'umount -l @OUT@ 2>/dev/null; touch @M@'],
  ['unshare-m', 'unshare', "unshare -m sh -c 'touch @M@'"],
  ['unshare-rm-remount', 'unshare', "unshare -rm sh -c 'mount -o remount,rw / 2>/dev/null; touch @M@'"],
  ['unshare-r', 'unshare', 'unshare -r touch @M@'],
  ['unshare-fp', 'unshare', 'unshare -fp --mount-proc touch @M@'],
  ['nsenter-1', 'nsenter', 'nsenter -t 1 -m -- touch @M@', { needs: [PROC1] }],
  ['nsenter-pid', 'nsenter', 'nsenter -t @PID@ -m -u -i -- touch @M@'],
  ['nsenter-mnt-file', 'nsenter', 'nsenter --mount=/proc/1/ns/mnt touch @M@', { needs: [PROC1] }],
  ['nsenter-pid-mnt-file', 'nsenter', 'nsenter --mount=/proc/@PID@/ns/mnt touch @M@'],
  // Persistence: something that acts after the command returned.
  ['nohup-later', 'background', "nohup sh -c 'sleep 1; touch @M@' >/dev/null 2>&1 &", { settleMs: 2500 }],
  [
    'setsid-later',
    'background',
    "setsid sh -c 'sleep 1; touch @M@' >/dev/null 2>&1 < /dev/null &",
    { settleMs: 2500 },
  ],
  ['disown-later', 'background', '(sleep 1; touch @M@) >/dev/null 2>&1 & disown', { settleMs: 2500 }],
];

/** Each shape aimed at every hidden file: the data dir, keys, other apps' env files. */
const SECRET_SHAPES: readonly [id: string, shape: string, command: string][] = [
  ['cat', 'plain', 'cat @S@'],
  ['glob', 'glob', 'cat @SG@'],
  ['var', 'variable', 'f=@S@; cat "$f"'],
  ['proc-self-root', 'proc', 'cat /proc/self/root@S@'],
  ['base64', 'decode', 'base64 @S@'],
  ['python', 'interpreter', 'python3 -c "print(open(\'@S@\').read())"'],
  ['symlink', 'symlink', 'ln -s @S@ @TMP@ && cat @TMP@'],
  ['copy-out', 'plain', 'cp @S@ @OUT@/leak'],
];

/** More shapes, each aimed at one hidden file. */
const SECRETS: readonly Row[] = [
  ['cd-cat', 'cd', 'cd @SD@ && cat @SN@', { secret: 'root' }],
  ['dotdot', 'path', 'cat @SD@/../@SDN@/@SN@', { secret: 'data' }],
  ['double-slash', 'path', 'cat /@S@', { secret: 'ssl' }],
  ['dot-segments', 'path', 'cat /./@SREL@', { secret: 'home' }],
  ['tilde-user', 'path', 'cat ~root/.ssh/@SN@', { secret: 'root' }],
  ['glob-dir', 'glob', 'head -n 5 @SD@/*', { secret: 'ssl' }],
  ['glob-hostkeys', 'glob', 'cat /etc/ssh/ssh_host_fx*_key', { secret: 'hostkey' }],
  ['glob-homes', 'glob', 'cat /home/*/.ssh/*', { secret: 'home' }],
  ['grep-r', 'plain', 'grep -r . @SD@', { secret: 'env' }],
  ['xxd', 'decode', 'xxd @S@', { secret: 'data' }],
  ['od', 'decode', 'od -An -tx1 @S@', { secret: 'root' }],
  ['rev', 'decode', 'rev @S@', { secret: 'ssl' }],
  ['tr-upper', 'decode', 'tr a-z A-Z < @S@', { secret: 'home' }],
  ['gzip-roundtrip', 'decode', 'gzip -c @S@ | gunzip', { secret: 'hostkey' }],
  ['tar-roundtrip', 'plain', 'tar -cf - @S@ 2>/dev/null | tar -xOf -', { secret: 'data' }],
  ['dd', 'plain', 'dd if=@S@ status=none', { secret: 'mkey' }],
  ['sed', 'plain', 'sed -n p @S@', { secret: 'env' }],
  ['awk', 'interpreter', "awk '{print}' @S@", { secret: 'root' }],
  ['perl', 'interpreter', 'perl -ne print @S@', { secret: 'ssl' }],
  [
    'node',
    'interpreter',
    "node -e \"process.stdout.write(require('fs').readFileSync('@S@'))\"",
    { secret: 'data' },
  ],
  ['sqlite-readfile', 'interpreter', 'sqlite3 :memory: "select readfile(\'@S@\');"', { secret: 'mkey' }],
  ['curl-file', 'plain', 'curl -s file://@S@', { secret: 'env' }],
  ['diff', 'plain', 'diff /dev/null @S@', { secret: 'root' }],
  ['git-diff', 'git', 'git --no-pager diff --no-index /dev/null @S@', { secret: 'home' }],
  ['read-builtin', 'builtin', 'read -r l < @S@; echo "$l"', { secret: 'data' }],
  ['mapfile', 'builtin', 'mapfile -t a < @S@; echo "${a[@]}"', { secret: 'ssl' }],
  ['dollar-lt', 'builtin', 'echo "$(<@S@)"', { secret: 'hostkey' }],
  ['exec-fd', 'redirection', 'exec 3<@S@; cat <&3', { secret: 'root' }],
  ['source-env', 'builtin', 'set -a; . @S@; env | grep FX_', { secret: 'env' }],
  ['xargs-cat', 'plain', 'echo @S@ | xargs cat', { secret: 'mkey' }],
  ['find-exec-cat', 'plain', "find @SD@ -name '@SN@' -exec cat {} +", { secret: 'data' }],
  ['proc-1-root', 'proc', 'cat /proc/1/root@S@', { secret: 'root', needs: [PROC1] }],
  ['proc-shell-root', 'proc', 'cat /proc/$$/root@S@', { secret: 'env' }],
  ['proc-pid-root', 'proc', 'cat /proc/@PID@/root@S@', { secret: 'data' }],
  ['proc-pid-environ', 'proc', "tr '\\0' '\\n' < /proc/@PID@/environ", { secret: 'environ' }],
  [
    'proc-glob-environ',
    'proc',
    "cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -a '^FXENV='",
    {
      secret: 'environ',
    },
  ],
  [
    'proc-1-environ',
    'proc',
    'cat /proc/1/environ',
    {
      secret: 'environ',
      control: {
        expect: 'none',
        why: "pid 1 is this machine's init, which holds no canary; /proc/<pid>/environ of the canary is the probe that shows the effect",
      },
    },
  ],
  ['hardlink', 'hardlink', 'ln @S@ @TMP@ && cat @TMP@', { secret: 'ssl' }],
  ['umount-mask', 'mount', 'umount -l @SD@ 2>/dev/null; cat @S@', { secret: 'data' }],
  [
    'unshare-umount',
    'unshare',
    "unshare -rm sh -c 'umount -l @SD@ 2>/dev/null; cat @S@'",
    { secret: 'root' },
  ],
  ['nsenter-1', 'nsenter', 'nsenter -t 1 -m -- cat @S@', { secret: 'ssl', needs: [PROC1] }],
  ['nsenter-pid', 'nsenter', 'nsenter -t @PID@ -m -- cat @S@', { secret: 'data' }],
  ['sh-c-ansi', 'dash-bash', "sh -c \"echo \\$'\\\\' ; cat @S@ ; # '\"", { secret: 'env' }],
  ['env-dotted', 'wrapper', 'env A.B=1 cat @S@', { secret: 'root' }],
  ['sudo', 'wrapper', 'sudo A=1 cat @S@', { secret: 'data', needs: ['sudo'] }],
  ['su-c', 'wrapper', "su root -c 'cat @S@'", { secret: 'ssl' }],
  ['pipe-sh', 'pipe-shell', "echo 'cat @S@' | sh", { secret: 'mkey' }],
  ['base64-sh', 'decode', (v) => `echo ${b64(fill('cat @S@', v))} | base64 -d | bash`, { secret: 'home' }],
  ['leak-to-etc', 'etc', 'cat @S@ > @ETC@', { secret: 'data' }],
  // Found by this corpus when only `.ssh` of each home was masked: the other credentials of the
  // host's accounts (cloud keys, git and registry tokens). Every home is masked whole since.
  ['cat', 'plain', 'cat @S@', { secret: 'cloud' }],
  ['glob-homes', 'glob', 'cat /home/*/.aws/credentials', { secret: 'cloud' }],
  // Found by this corpus: the TLS private keys of the target's reverse proxy (Caddy, which DESIGN
  // suggests) live outside /etc/ssl/private. /var/lib/caddy is masked since.
  ['var', 'variable', 'f=@S@; cat "$f"', { secret: 'caddy' }],
  ['base64', 'decode', 'base64 @S@', { secret: 'caddy' }],
];

/** The canary process: by pid, by name, by group, by session, by every interpreter. */
const KILLS: readonly Row[] = [
  ['kill-9', 'signal', 'kill -9 @PID@'],
  ['kill-term', 'signal', 'kill @PID@'],
  ['kill-stop', 'signal', 'kill -STOP @PID@'],
  ['kill-s-hup', 'signal', 'kill -s HUP @PID@'],
  ['kill-group', 'signal', 'kill -- -@PID@'],
  ['kill-9-group', 'signal', 'kill -9 -@PID@'],
  ['bin-kill', 'signal', '/bin/kill -9 @PID@'],
  ['pkill-x', 'by-name', 'pkill -x @PNAME@'],
  ['pkill-9', 'by-name', 'pkill -9 @PNAME@'],
  ['pkill-f', 'by-name', "pkill -f '@PNAME@ 600'"],
  ['pkill-g', 'by-group', 'pkill -g @PID@'],
  ['pkill-s', 'by-session', 'pkill -s @PID@'],
  ['pkill-stop', 'by-name', 'pkill -STOP -x @PNAME@'],
  ['killall', 'by-name', 'killall @PNAME@'],
  ['killall-9', 'by-name', 'killall -9 @PNAME@'],
  ['skill', 'by-name', 'skill -KILL -c @PNAME@'],
  ['pgrep-xargs', 'by-name', 'pgrep -x @PNAME@ | xargs kill -9'],
  ['pgrep-cmdsub', 'by-name', 'kill -9 $(pgrep -x @PNAME@)'],
  ['pidof', 'by-name', 'kill -9 $(pidof @PNAME@)'],
  [
    'proc-scan',
    'by-name',
    'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = @PNAME@ ] && kill -9 ${p#/proc/}; done; true',
  ],
  ['pidfile', 'by-pidfile', 'kill -9 $(cat @OUT@/canary.pid)'],
  ['renice', 'priority', 'renice -n 19 -p @PID@'],
  ['python-kill', 'interpreter', "python3 -c 'import os; os.kill(@PID@, 9)'"],
  ['perl-kill', 'interpreter', "perl -e 'kill 9, @PID@'"],
  ['node-kill', 'interpreter', 'node -e \'process.kill(@PID@, "SIGKILL")\''],
  ['awk-system', 'interpreter', 'awk \'BEGIN{system("kill -9 @PID@")}\''],
  ['bash-c', 'pipe-shell', "bash -c 'kill -9 @PID@'"],
  ['pipe-sh', 'pipe-shell', "echo 'kill -9 @PID@' | sh"],
  ['env-dotted', 'wrapper', 'env A.B=1 kill -9 @PID@'],
  ['timeout-wrap', 'wrapper', 'timeout 5 kill -9 @PID@'],
  ['sudo', 'wrapper', 'sudo A=1 kill -9 @PID@', { needs: ['sudo'] }],
  ['nsenter-kill', 'nsenter', 'nsenter -t @PID@ -p -- kill -9 @PID@'],
  ['sh-c-ansi', 'dash-bash', "sh -c \"echo \\$'\\\\' ; kill -9 @PID@ ; # '\""],
  ['sh-c-arith', 'dash-bash', "sh -c '((kill -9 @PID@))'"],
  ['var-name', 'variable', 'k=kill; $k -9 @PID@'],
  ['printf-name', 'substitution', '$(printf kill) -9 @PID@'],
  ['xargs', 'plain', 'xargs kill -9 <<< @PID@'],
  ['base64-sh', 'decode', (v) => `echo ${b64(fill('kill -9 @PID@', v))} | base64 -d | sh`],
  [
    'background-later',
    'background',
    "nohup sh -c 'sleep 1; kill -9 @PID@' >/dev/null 2>&1 &",
    { settleMs: 2500 },
  ],
  // Broadcasts: unconfined they would reach every process of this shared machine.
  [
    'kill-9-minus-1',
    'broadcast',
    'kill -9 -1',
    { control: { expect: 'skip', why: 'unconfined as root it kills every process on this shared machine' } },
  ],
  [
    'pkill-sleep',
    'broadcast',
    'pkill sleep',
    {
      sleepCanary: true,
      control: { expect: 'skip', why: 'unconfined it kills every `sleep` of other users of this machine' },
    },
  ],
  [
    'killall-sleep',
    'broadcast',
    'killall -9 sleep',
    {
      sleepCanary: true,
      control: { expect: 'skip', why: 'unconfined it kills every `sleep` of other users of this machine' },
    },
  ],
];

export const CORPUS: readonly Probe[] = [
  ...rows('write', WRITES).map((p) => ({ ...p, id: `w-${p.id}` })),
  ...SECRET_SHAPES.flatMap(([id, shape, command]) =>
    SECRET_FILES.map((secret): Probe => ({
      id: `s-${id}-${secret}`,
      class: 'secret',
      shape,
      command,
      secret,
    })),
  ),
  ...rows('secret', SECRETS).map((p) => ({ ...p, id: `s-${p.id}-${p.secret ?? ''}` })),
  ...rows('kill', KILLS).map((p) => ({ ...p, id: `k-${p.id}` })),
];

/** The command of a probe for one run. */
export const expand = (probe: Probe, v: Vars): string =>
  typeof probe.command === 'function' ? probe.command(v) : fill(probe.command, v);
