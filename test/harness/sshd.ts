// A real OpenSSH sshd on a free loopback port with throwaway host and user keys (DESIGN "Test
// infrastructure"). Several of them act as several hosts. CI installs openssh-server, so a missing
// binary is a loud failure, not a skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface SshdOptions {
  /** Extra sshd_config lines. */
  config?: string[];
  startTimeoutMs?: number;
}

export interface Sshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** The user's private key, OpenSSH text. */
  privateKey: string;
  /** `SHA256:…` of the host key, as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  dir: string;
  /** Everything sshd wrote to stderr so far (LogLevel VERBOSE). */
  log(): string;
  /** How many connections sshd accepted with publickey auth so far (across restarts). */
  acceptedConnections(): number;
  /** SIGSTOPs every process serving a connection (a black-holed peer); the result thaws them. */
  freezeConnections(): () => void;
  /** Kills the listener and every connection it serves (like `systemctl restart`), then starts again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function keygen(path: string, comment = 'automatos-test'): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${String(result.stderr)}`);
}

/** OpenSSH fingerprint of a `.pub` line, computed independently of src/exec. */
export function fingerprintOfPublicKeyLine(line: string): string {
  const blob = Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sshdConfig(dir: string, port: number, extra: string[]): string {
  return [
    `ListenAddress 127.0.0.1`,
    `Port ${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    `PidFile ${join(dir, 'sshd.pid')}`,
    // OpenSSH's default is 10, two above the pool's cap of 8; sshd frees a slot only once it reaped
    // the session's child, and on this loaded 2-core machine that lag alone used up the margin (the
    // pool now retries a refused open; see src/exec/ssh/pool.ts). 12 keeps the cap test about the cap.
    'MaxSessions 12',
    'MaxStartups 100',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    // A clean HOME: the machine's own ~/.bashrc (sourced by bash for every ssh command) must not
    // slow or change the tests.
    `SetEnv HOME=${join(dir, 'home')}`,
    ...extra,
    '',
  ].join('\n');
}

/** Pids of every process below `pid`. */
function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

/** Pids whose parent is `pid` (sshd's per-connection processes). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  if (!existsSync(SSHD)) {
    throw new Error(`${SSHD} is missing: install openssh-server (apt-get install -y openssh-server)`);
  }
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'automatos-sshd-'));
  keygen(join(dir, 'host_ed25519'), 'automatos-host');
  keygen(join(dir, 'user_ed25519'), 'automatos-user');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_ed25519.pub')));
  mkdirSync(join(dir, 'home'));
  const port = await freePort();
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, sshdConfig(dir, port, options.config ?? []));
  const test = spawnSync(SSHD, ['-t', '-f', configPath]);
  if (test.status !== 0) throw new Error(`sshd -t rejected the config: ${String(test.stderr)}`);

  let log = '';
  let child: ChildProcess | undefined;
  const timeoutMs = options.startTimeoutMs ?? 10_000;

  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      const from = log.length;
      const timer = setTimeout(
        () => fail(new Error(`sshd did not listen within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (error: Error): void => {
        clearTimeout(timer);
        proc.kill('SIGKILL');
        reject(new Error(`${error.message}\n--- sshd log ---\n${log}`));
      };
      proc.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        if (log.includes(`Server listening on 127.0.0.1 port ${port}`, from)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        if (child === proc) child = undefined;
        fail(new Error(`sshd exited early (code ${code}, signal ${signal})`));
      });
      proc.once('error', (error) => fail(error));
    });

  const kill = async (): Promise<void> => {
    const proc = child;
    if (proc?.pid === undefined || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    for (const pid of childrenOf(proc.pid)) killQuietly(pid, 'SIGKILL');
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    privateKey: readFileSync(join(dir, 'user_ed25519'), 'utf8'),
    hostKeyFingerprint: fingerprintOfPublicKeyLine(readFileSync(join(dir, 'host_ed25519.pub'), 'utf8')),
    dir,
    log: () => log,
    acceptedConnections: () => log.split('Accepted publickey for').length - 1,
    freezeConnections: () => {
      const pids = child?.pid === undefined ? [] : descendantsOf(child.pid);
      for (const pid of pids) killQuietly(pid, 'SIGSTOP');
      return () => pids.forEach((pid) => killQuietly(pid, 'SIGCONT'));
    },
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
