// One contract, several executors (local, ssh): each test file calls executorContract with a factory,
// the way Hono's routers share one suite. Checks happen on the host side (/proc, the filesystem).
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/exec/index.js';
import { isAlive, readPidFile, waitFor } from '../harness/process.js';

export interface ContractSubject {
  executor: Executor;
  dispose(): Promise<void>;
}

/** Executors under contract are built with killGraceMs ≤ 500 so the kill tests stay short. */
export function executorContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`Executor contract: ${name}`, () => {
    let subject: ContractSubject;
    let scratch: string;
    const exec = (): Executor => subject.executor;

    beforeAll(async () => {
      subject = await make();
      scratch = mkdtempSync(join(tmpdir(), 'automatos-contract-'));
    }, 30_000);
    afterAll(async () => {
      await subject?.dispose();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('reports exit codes', async () => {
      expect((await exec().run('true')).exitCode).toBe(0);
      expect((await exec().run('exit 7')).exitCode).toBe(7);
      const result = await exec().run('false');
      expect(result).toMatchObject({ exitCode: 1, signal: null, timedOut: false, cancelled: false });
    });

    it('keeps stdout and stderr apart, streamed and as tails with byte counts', async () => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const result = await exec().run('echo out; echo err >&2; printf more', {
        onStdout: (chunk) => out.push(chunk),
        onStderr: (chunk) => err.push(chunk),
      });
      expect(result.stdoutTail).toBe('out\nmore');
      expect(result.stderrTail).toBe('err\n');
      expect(Buffer.concat(out).toString()).toBe('out\nmore');
      expect(Buffer.concat(err).toString()).toBe('err\n');
      expect([result.stdoutBytes, result.stderrBytes]).toEqual([8, 4]);
    });

    it('runs the text with plain /bin/sh semantics', async () => {
      expect((await exec().run('echo "$0|$#|$1"')).stdoutTail).toBe('/bin/sh|0|\n');
      expect((await exec().run('cat <<EOF\nsum $((1+2))\nEOF')).stdoutTail).toBe('sum 3\n');
      expect(await exec().run('kill -9 $$')).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      expect((await exec().run('if')).exitCode).toBe(2);
    });

    it('runs in the given cwd', async () => {
      const result = await exec().run('pwd', { cwd: scratch });
      expect(result.stdoutTail.trim()).toBe(realpathSync(scratch));
    });

    it('passes env values verbatim (quotes, spaces, $, backticks, newlines)', async () => {
      const env = { A: `it's "quoted" $HOME \`id\` $(id)`, B: 'two words\nsecond line', C: '' };
      const result = await exec().run(`printf '%s|%s|%s' "$A" "$B" "$C"`, { env });
      expect(result.stdoutTail).toBe(`${env.A}|${env.B}|`);
    });

    it('refuses an invalid env name without echoing the value', async () => {
      const attempt = exec().run('true', { env: { 'BAD;rm': 'sekret-value' } });
      await expect(attempt).rejects.toMatchObject({ code: 'AUT_EXEC_INVALID' });
      await attempt.catch((error: Error) => expect(error.message).not.toContain('sekret-value'));
    });

    it('feeds stdin from a string, a Buffer and a stream, and gives EOF when there is none', async () => {
      expect((await exec().run('cat', { stdin: 'hello' })).stdoutTail).toBe('hello');
      expect((await exec().run('wc -c', { stdin: Buffer.alloc(3000, 1) })).stdoutTail.trim()).toBe('3000');
      const stream = Readable.from([Buffer.from('a'), Buffer.from('b')]);
      expect((await exec().run('cat', { stdin: stream })).stdoutTail).toBe('ab');
      expect((await exec().run('cat')).stdoutTail).toBe('');
    });

    it('on timeout kills the whole process tree, even a child that ignores SIGTERM', async () => {
      const pidFile = join(scratch, 'timeout.pid');
      const ignorerFile = join(scratch, 'ignorer.pid');
      const command =
        `sh -c 'sleep 300 & echo $! > ${pidFile}; wait' & ` +
        `sh -c 'trap "" TERM; sleep 300 & echo $! > ${ignorerFile}; wait' & wait; echo never`;
      const started = Date.now();
      const result = await exec().run(command, { timeoutMs: 1500 });
      expect(result.timedOut).toBe(true);
      expect(result.cancelled).toBe(false);
      expect(result.exitCode === 0).toBe(false);
      expect(result.stdoutTail).not.toContain('never');
      expect(Date.now() - started).toBeLessThan(8000);
      const pids = [await readPidFile(pidFile), await readPidFile(ignorerFile)];
      await waitFor(() => pids.every((pid) => !isAlive(pid)), 5000, `pids ${pids.join(', ')} to be gone`);
    });

    it('on AbortSignal cancels and kills the process tree', async () => {
      const pidFile = join(scratch, 'cancel.pid');
      const controller = new AbortController();
      const running = exec().run(`sh -c 'sleep 300 & echo $! > ${pidFile}; wait'`, {
        signal: controller.signal,
      });
      const pid = await readPidFile(pidFile);
      expect(isAlive(pid)).toBe(true);
      controller.abort();
      const result = await running;
      expect(result).toMatchObject({ cancelled: true, timedOut: false });
      await waitFor(() => !isAlive(pid), 5000, `pid ${pid} to be gone`);
    });

    it('does not start a command whose signal is already aborted', async () => {
      const marker = join(scratch, 'never-created');
      const result = await exec().run(`touch ${marker}`, { signal: AbortSignal.abort() });
      expect(result.cancelled).toBe(true);
      expect(existsSync(marker)).toBe(false);
    });

    it('streams 50 MB of output with bounded memory', async () => {
      const size = 50 * 1024 * 1024;
      let counted = 0;
      const baseline = process.memoryUsage().heapUsed;
      let peak = baseline;
      const result = await exec().run(`head -c ${size} /dev/zero; echo tail-marker`, {
        tailBytes: 1024,
        onStdout: (chunk) => {
          counted += chunk.length;
          if (counted % (4 * 1024 * 1024) < chunk.length)
            peak = Math.max(peak, process.memoryUsage().heapUsed);
        },
      });
      expect(result.exitCode).toBe(0);
      expect(result.stdoutBytes).toBe(size + 'tail-marker\n'.length);
      expect(counted).toBe(result.stdoutBytes);
      expect(Buffer.byteLength(result.stdoutTail)).toBeLessThanOrEqual(1024);
      expect(result.stdoutTail.endsWith('tail-marker\n')).toBe(true);
      expect(peak - baseline).toBeLessThan(size / 2);
    }, 60_000);

    it('uploads a tree keeping modes and symlinks, honoring excludes', async () => {
      const source = join(scratch, 'src-tree');
      mkdirSync(join(source, 'bin'), { recursive: true });
      mkdirSync(join(source, 'node_modules/pkg'), { recursive: true });
      mkdirSync(join(source, 'lib/.git'), { recursive: true });
      writeFileSync(join(source, 'README'), 'hello\n');
      writeFileSync(join(source, 'bin/run.sh'), '#!/bin/sh\necho run\n');
      chmodSync(join(source, 'bin/run.sh'), 0o750);
      writeFileSync(join(source, 'node_modules/pkg/index.js'), 'x');
      writeFileSync(join(source, 'lib/.git/HEAD'), 'ref');
      writeFileSync(join(source, 'lib/code.js'), 'code');
      symlinkSync('../README', join(source, 'lib/readme-link'));
      const dest = join(scratch, 'releases/r1');

      const result = await exec().upload(source, dest, { exclude: ['node_modules', '.git'] });
      expect(result.bytes).toBeGreaterThan(0);
      expect(readFileSync(join(dest, 'README'), 'utf8')).toBe('hello\n');
      expect(lstatSync(join(dest, 'bin/run.sh')).mode & 0o777).toBe(0o750);
      expect(lstatSync(join(dest, 'lib/readme-link')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dest, 'lib/readme-link'))).toBe('../README');
      expect(readFileSync(join(dest, 'lib/code.js'), 'utf8')).toBe('code');
      expect(existsSync(join(dest, 'node_modules'))).toBe(false);
      expect(existsSync(join(dest, 'lib/.git'))).toBe(false);
      expect((await exec().run('./bin/run.sh', { cwd: dest })).stdoutTail).toBe('run\n');
    });

    it('refuses to upload a directory that does not exist', async () => {
      await expect(exec().upload(join(scratch, 'missing'), join(scratch, 'x'))).rejects.toMatchObject({
        code: 'AUT_EXEC_UPLOAD',
      });
    });

    describe('connect()', () => {
      let server: Server;
      let port: number;
      beforeAll(async () => {
        server = createServer((socket) => socket.pipe(socket));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const address = server.address();
        port = typeof address === 'object' && address !== null ? address.port : 0;
      });
      afterAll(async () => {
        await new Promise((resolve) => server.close(resolve));
      });

      it('opens a TCP connection as seen from the host', async () => {
        const socket = await exec().connect('127.0.0.1', port);
        const echoed = new Promise<string>((resolve) =>
          socket.once('data', (data: Buffer) => resolve(data.toString())),
        );
        socket.write('ping');
        expect(await echoed).toBe('ping');
        socket.end();
      });
    });
  });
}
