// A real PostgreSQL server from Debian's packages on a free loopback port, in a throwaway
// directory (DESIGN "Test infrastructure"). CI installs `postgresql`, so missing binaries are a
// loud failure, not a skip. As root, the server runs as the `postgres` OS user (initdb and
// postgres refuse to run as root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sshd.js';
import pg from 'pg';

export const POSTGRES_LIB = '/usr/lib/postgresql';

export interface Postgres {
  /** The `postgres` maintenance database, as superuser `postgres` (trust auth, no password). */
  url: string;
  port: number;
  dir: string;
  /** Creates a database (empty, or a copy of `template`) and returns its URL. */
  createDatabase(name?: string, options?: { template?: string }): Promise<string>;
  /** Everything the server wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/** The bin dir of the newest installed major version, e.g. /usr/lib/postgresql/15/bin. */
export function findPostgresBin(): string {
  const versions = existsSync(POSTGRES_LIB)
    ? readdirSync(POSTGRES_LIB)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(POSTGRES_LIB, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (version === undefined) {
    throw new Error(
      `PostgreSQL server binaries not found under ${POSTGRES_LIB}/<version>/bin: install the Debian package \`postgresql\` (apt-get install postgresql).`,
    );
  }
  return join(POSTGRES_LIB, version, 'bin');
}

/** uid/gid to run as: our own, or the `postgres` user's when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string): number => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (out.status !== 0) {
      throw new Error(
        'Running as root, but there is no `postgres` OS user to run PostgreSQL as (the Debian package creates it).',
      );
    }
    return Number(out.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

async function waitForServer(
  url: string,
  server: ChildProcess,
  log: () => string,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `postgres exited (${server.exitCode ?? server.signalCode}) before accepting connections:\n${log()}`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > until)
        throw new Error(`postgres did not accept connections within ${timeoutMs} ms:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * initdb into a temp dir, then `postgres` on 127.0.0.1:<free port> with its unix socket in the
 * temp dir, trust auth, and fsync off (a test server: speed over durability).
 *
 * The server runs under `sh` as its parent, which reads our stdin pipe: when this process dies
 * (even by SIGKILL) the pipe closes and the shell stops the server, so none is ever left behind.
 */
export async function startPostgres(options: { startTimeoutMs?: number } = {}): Promise<Postgres> {
  // Another process may grab the free port before postgres binds it: then start over.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options.startTimeoutMs ?? 30_000);
    } catch (error) {
      if (
        attempt < 3 &&
        error instanceof Error &&
        /could not bind|address already in use/i.test(error.message)
      ) {
        continue;
      }
      throw error;
    }
  }
}

async function startOnce(startTimeoutMs: number): Promise<Postgres> {
  const bin = findPostgresBin();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'automatos-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chownSync(socketDir, user.uid, user.gid);
  }
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, LANG: 'C', LC_ALL: 'C' };
  const initArgs = [
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ];
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, ...initArgs], {
    cwd: dir,
    env,
    encoding: 'utf8',
    ...user,
  });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.error?.message}):\n${init.stdout}\n${init.stderr}`);
  }

  const server = launch(bin, data, socketDir, await freePort(), dir, env, user);
  try {
    await waitForServer(server.url, server.child, server.log, startTimeoutMs);
  } catch (error) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return handle(server, dir);
}

interface Launched {
  child: ChildProcess;
  url: string;
  port: number;
  log(): string;
  /** Stops the server; the data directory stays. */
  stop(): Promise<void>;
}

function launch(
  bin: string,
  data: string,
  socketDir: string,
  port: number,
  dir: string,
  env: Record<string, string>,
  user: { uid: number; gid: number } | undefined,
): Launched {
  const settings = [
    'listen_addresses=127.0.0.1',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_connections=200',
    'shared_buffers=32MB',
  ];
  const args = ['-D', data, '-p', String(port), '-k', socketDir, ...settings.flatMap((s) => ['-c', s])];
  // Watchdog: postgres runs in the background while a reader of our stdin pipe (fd 3, since an
  // async list's own stdin is /dev/null) waits for EOF, then asks for a fast shutdown. So the
  // server goes away with this process even when it is SIGKILLed, and so does the directory.
  const script = [
    'exec 3<&0',
    '"$0" "$@" </dev/null 3<&- &',
    'pid=$!',
    "trap 'kill -INT $pid 2>/dev/null' TERM",
    '{ cat <&3 >/dev/null; kill -INT $pid 2>/dev/null; } &',
    'exec 3<&-',
    'wait $pid',
    'wait $pid 2>/dev/null',
    '[ -n "$PG_TEST_REMOVE" ] && [ -e "$PG_TEST_REMOVE" ] && rm -rf "$PG_TEST_REMOVE"',
    'exit 0',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script, join(bin, 'postgres'), ...args], {
    cwd: dir,
    env: { ...env, PG_TEST_REMOVE: dir },
    stdio: ['pipe', 'ignore', 'pipe'],
    ...user,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-100_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    log: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function handle(server: Launched, dir: string): Postgres {
  const { url, port } = server;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= server.stop().then(() => rmSync(dir, { recursive: true, force: true })));
  return {
    url,
    port,
    dir,
    log: server.log,
    stop,
    async createDatabase(name = `t_${randomBytes(6).toString('hex')}`, { template } = {}) {
      for (const id of [name, template ?? 'x']) {
        if (!/^[a-z_][a-z0-9_]*$/.test(id)) throw new Error(`not a plain database name: ${id}`);
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database ${name}${template === undefined ? '' : ` template ${template}`}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
