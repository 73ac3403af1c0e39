// Integration tests against real OpenSSH sshd processes (test/harness/sshd.ts): two of them act as
// two hosts. Everything runs on loopback and stops by itself.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshExecutor, type SshTargetConfig } from '../../src/exec/index.js';
import { freePort, keygen, startSshd, type Sshd } from '../harness/sshd.js';
import { startAgent } from '../harness/agent.js';
import { isAlive, readPidFile, waitFor } from '../harness/process.js';
import { executorContract } from './executor.contract.js';

function targetFor(sshd: Sshd, overrides: Partial<SshTargetConfig> = {}): SshTargetConfig {
  return {
    name: `sshd-${sshd.port}`,
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    auth: { privateKey: sshd.privateKey },
    hostKey: { fingerprint: sshd.hostKeyFingerprint },
    readyTimeoutMs: 10_000,
    ...overrides,
  };
}

executorContract('ssh', async () => {
  const sshd = await startSshd();
  const executor = new SshExecutor(targetFor(sshd, { killGraceMs: 500 }));
  return {
    executor,
    dispose: async () => {
      await executor.close();
      await sshd.stop();
    },
  };
});

describe('SshExecutor against two sshd hosts', () => {
  let a: Sshd;
  let b: Sshd;
  const executors: SshExecutor[] = [];
  const open = (sshd: Sshd, overrides: Partial<SshTargetConfig> = {}): SshExecutor => {
    const executor = new SshExecutor(targetFor(sshd, overrides));
    executors.push(executor);
    return executor;
  };

  beforeAll(async () => {
    [a, b] = await Promise.all([startSshd(), startSshd()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(executors.map((executor) => executor.close()));
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('runs 20 commands over ONE connection', async () => {
    const before = a.acceptedConnections();
    const executor = open(a);
    for (let i = 0; i < 20; i += 1) {
      expect((await executor.run(`echo ${i}`)).stdoutTail).toBe(`${i}\n`);
    }
    expect(executor.stats.connects).toBe(1);
    await waitFor(() => a.acceptedConnections() > before, 2000, 'sshd to log the login');
    expect(a.acceptedConnections() - before).toBe(1);
  });

  it('caps concurrent channels (12 parallel commands, cap 8, all complete)', async () => {
    const executor = open(a, { maxChannels: 8 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => executor.run(`sleep 0.4; echo ${i}`)),
    );
    expect(results.map((result) => result.stdoutTail)).toEqual(
      Array.from({ length: 12 }, (_, i) => `${i}\n`),
    );
    expect(executor.stats.peakChannels).toBe(8);
    expect(executor.stats.connects).toBe(1);
    expect(a.log()).not.toMatch(/no more sessions/i);
  });

  it('serves a queue in FIFO order and lets a queued command time out without starting it', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'automatos-queue-'));
    try {
      const executor = open(a, { maxChannels: 1 });
      const first = executor.run('sleep 1');
      const queued = await executor.run(`touch ${scratch}/started`, { timeoutMs: 200 });
      expect(queued).toMatchObject({ timedOut: true, exitCode: null });
      expect((await first).exitCode).toBe(0);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('reconnects transparently after sshd restarts', async () => {
    const executor = open(a);
    expect((await executor.run('echo before')).stdoutTail).toBe('before\n');
    await a.restart();
    expect((await executor.run('echo after')).stdoutTail).toBe('after\n');
    expect(executor.stats.connects).toBe(2);
  }, 30_000);

  it('reports a connection lost mid-command as a transient channel error', async () => {
    const executor = open(a);
    const outcome = executor.run('sleep 5').then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.restart();
    expect(await outcome).toMatchObject({ code: 'AUT_SSH_CHANNEL', transient: true });
    expect((await executor.run('echo back')).stdoutTail).toBe('back\n');
  }, 30_000);

  it('closes an idle connection and opens a new one on demand', async () => {
    const executor = open(b, { idleTimeoutMs: 200 });
    await executor.run('true');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await executor.run('true');
    expect(executor.stats.connects).toBe(2);
  });

  it('notices a silent peer through keepalive and reconnects', async () => {
    const executor = open(b, { keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
    await executor.run('true');
    const thaw = b.freezeConnections();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect((await executor.run('echo fresh')).stdoutTail).toBe('fresh\n');
      expect(executor.stats.connects).toBe(2);
    } finally {
      thaw();
    }
  });

  it('authenticates through an ssh-agent', async () => {
    const agent = await startAgent(join(a.dir, 'user_ed25519'));
    try {
      const executor = open(a, { auth: { agent: agent.socket } });
      expect((await executor.run('echo agent')).stdoutTail).toBe('agent\n');
    } finally {
      agent.stop();
    }
  });

  it('keeps two hosts apart', async () => {
    const [onA, onB] = await Promise.all([
      open(a).run('echo $SSH_CONNECTION'),
      open(b).run('echo $SSH_CONNECTION'),
    ]);
    expect(onA.stdoutTail.trim().endsWith(` ${a.port}`)).toBe(true);
    expect(onB.stdoutTail.trim().endsWith(` ${b.port}`)).toBe(true);
  });

  it('kills the remote process group on timeout (checked in /proc on the host)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'automatos-kill-'));
    try {
      const executor = open(b, { killGraceMs: 300 });
      const result = await executor.run(`sleep 300 & echo $! > ${scratch}/pid; wait`, { timeoutMs: 700 });
      expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
      const pid = await readPidFile(join(scratch, 'pid'));
      await waitFor(() => !isAlive(pid), 3000, `remote sleep ${pid} to be gone`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('keeps env values out of the argv of the running command', async () => {
    const secret = `s3cret-${Date.now()}`;
    const running = open(b).run('sleep 1', { env: { TOKEN: secret } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const leaks = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(secret);
        } catch {
          return false;
        }
      });
    expect(leaks).toEqual([]);
    expect((await running).exitCode).toBe(0);
  });

  describe('host keys', () => {
    it('refuses an unknown host key, showing the fingerprint and how to trust it', async () => {
      const attempt = open(a, { hostKey: {} }).run('true');
      await expect(attempt).rejects.toMatchObject({ code: 'AUT_SSH_HOST_KEY_UNKNOWN', transient: false });
      const error = (await attempt.catch((e: unknown) => e)) as Error;
      expect(error.message).toContain(a.hostKeyFingerprint);
      expect(error.message).toContain('--trust-host-key');
      expect(error.message).toContain(`--fingerprint ${a.hostKeyFingerprint}`);
    });

    it('trusts on first use only when asked, and records the fingerprint', async () => {
      const trusted: string[] = [];
      const executor = open(a, {
        hostKey: { trustOnFirstUse: true, onTrust: (fingerprint) => void trusted.push(fingerprint) },
      });
      expect((await executor.run('echo ok')).stdoutTail).toBe('ok\n');
      expect(trusted).toEqual([a.hostKeyFingerprint]);
    });

    it('always refuses a changed host key, naming both fingerprints', async () => {
      const attempt = open(a, { hostKey: { fingerprint: b.hostKeyFingerprint, trustOnFirstUse: true } }).run(
        'true',
      );
      await expect(attempt).rejects.toMatchObject({ code: 'AUT_SSH_HOST_KEY_CHANGED' });
      const error = (await attempt.catch((e: unknown) => e)) as Error;
      expect(error.message).toContain(a.hostKeyFingerprint);
      expect(error.message).toContain(b.hostKeyFingerprint);
    });
  });

  describe('connection errors', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('names an authentication failure', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'automatos-key-'));
      try {
        keygen(join(dir, 'other'));
        const attempt = open(a, { auth: { privateKey: readFileSync(join(dir, 'other'), 'utf8') } }).run(
          'true',
        );
        await expect(attempt).rejects.toMatchObject({ code: 'AUT_SSH_AUTH', transient: false });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('names a refused connection and marks it transient', async () => {
      const port = await freePort();
      const attempt = open(a, { port }).run('true');
      await expect(attempt).rejects.toMatchObject({ code: 'AUT_SSH_REFUSED', transient: true });
    });

    it('names a handshake timeout', async () => {
      const address = silent.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const attempt = open(a, { port, readyTimeoutMs: 300 }).run('true');
      await expect(attempt).rejects.toMatchObject({ code: 'AUT_SSH_TIMEOUT', transient: true });
    });

    it('names an unreadable private key without printing it', async () => {
      const attempt = open(a, { auth: { privateKey: 'not a key' } }).run('true');
      await expect(attempt).rejects.toMatchObject({ code: 'AUT_SSH_AUTH' });
    });
  });
});
