// The process runtime's supervisor, run for real: the planned commands go through the guard to the
// LocalExecutor and to an SshExecutor talking to a real sshd on loopback. Both run on this machine,
// so /proc is the ground truth for what is alive.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalExecutor, SshExecutor, type Executor } from '../../src/exec/index.js';
import { verifyHealth } from '../../src/engine/health/index.js';
import type { HealthProbe } from '../../src/plan/index.js';
import { freePort, startSshd, type Sshd } from '../harness/sshd.js';
import { isAlive, readPidFile, waitFor } from '../harness/process.js';
import { procStat, supervisedApp, type SupervisedApp } from './supervised-app.js';

// A child that leaves a grandchild in its group: stopping must take the whole group down.
const APP_COMMAND = 'sleep 300 & echo $! > grandchild.pid; echo "up: $GREETING"; wait';
// Records each start (fractional epoch seconds) and crashes at once.
const CRASH_COMMAND = 'date +%s.%N >> starts.log; exit 3';
// Ignores TERM (inherited by its sleep), so only the KILL after the grace stops it.
const STUBBORN_COMMAND = 'trap "" TERM; sleep 300 & echo $! > grandchild.pid; wait';

const kinds: Array<{
  kind: string;
  open: () => Promise<{ executor: Executor; dispose: () => Promise<void> }>;
}> = [
  {
    kind: 'local',
    open: async () => {
      const executor = new LocalExecutor();
      return { executor, dispose: () => executor.close() };
    },
  },
  {
    kind: 'ssh',
    open: async () => {
      const sshd: Sshd = await startSshd();
      const executor = new SshExecutor({
        name: 'sshd-runtime',
        host: sshd.host,
        port: sshd.port,
        user: sshd.user,
        auth: { privateKey: sshd.privateKey },
        hostKey: { fingerprint: sshd.hostKeyFingerprint },
        readyTimeoutMs: 10_000,
      });
      return {
        executor,
        dispose: async () => {
          await executor.close();
          await sshd.stop();
        },
      };
    },
  },
];

describe.each(kinds)('process supervisor through the $kind executor', ({ open }) => {
  let executor: Executor;
  let dispose: () => Promise<void>;
  let root: string;
  const apps: SupervisedApp[] = [];
  const app = (name: string, command: string, env?: Record<string, string>): SupervisedApp => {
    const created = supervisedApp(executor, root, name, command, env);
    apps.push(created);
    return created;
  };

  beforeAll(async () => {
    ({ executor, dispose } = await open());
    root = mkdtempSync(join(tmpdir(), 'automatos-runtime-'));
  }, 30_000);

  afterAll(async () => {
    for (const each of apps) await each.stop().catch(() => undefined);
    await dispose();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('starts, restarts a killed child, stops the whole group, and starts again', async () => {
    const web = app('web', APP_COMMAND);
    const started = await web.start();
    expect(started.exitCode, started.stderrTail).toBe(0);

    // Pid files: the supervisor leads its own session; the child leads another one.
    const supervisor = await readPidFile(web.layout.pidFile);
    const child = await readPidFile(web.childPidFile);
    const grandchild = await readPidFile(join(web.releaseDir, 'grandchild.pid'));
    expect(procStat(supervisor)).toMatchObject({ pgrp: supervisor, session: supervisor });
    expect(procStat(child)).toMatchObject({ pgrp: child, session: child });
    expect(procStat(grandchild)).toMatchObject({ pgrp: child });
    await waitFor(() => web.log().includes('up: hello world'), 5000, 'the env file to reach the app');

    // A second supervisor next to a live one is refused.
    const twice = await web.start();
    expect(twice.exitCode).toBe(1);
    expect(twice.stderrTail).toContain('web is already running');

    // Kill the child: the supervisor clears what it left in its group and starts a new one.
    process.kill(child, 'SIGKILL');
    await waitFor(
      () => existsSync(web.childPidFile) && readFileSync(web.childPidFile, 'utf8').trim() !== String(child),
      10_000,
      'a restarted child',
    );
    const child2 = await readPidFile(web.childPidFile);
    expect(child2).not.toBe(child);
    expect(isAlive(child2)).toBe(true);
    await waitFor(() => !isAlive(grandchild), 5000, 'the old grandchild to be stopped');
    expect(isAlive(supervisor)).toBe(true);
    expect(web.log()).toMatch(/exited with status 137 after \d+s; restarting in 1s/);
    const grandchildFile = join(web.releaseDir, 'grandchild.pid');
    await waitFor(
      () => readFileSync(grandchildFile, 'utf8').trim() !== String(grandchild),
      5000,
      'the new child to start its grandchild',
    );
    const grandchild2 = await readPidFile(grandchildFile);
    expect(procStat(grandchild2)).toMatchObject({ pgrp: child2 });

    // Stop: supervisor, child and grandchild are all gone, pid files removed.
    const t0 = Date.now();
    const stopped = await web.stop();
    expect(stopped.exitCode, stopped.stderrTail).toBe(0);
    expect(Date.now() - t0).toBeLessThan(6000); // well under the 10s grace: nothing waited it out
    for (const pid of [supervisor, child2, grandchild2]) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(web.layout.pidFile)).toBe(false);
    expect(existsSync(web.childPidFile)).toBe(false);
    expect(web.log()).toContain('stopped');

    // Stopping what is not running is a no-op; starting again works.
    expect((await web.stop()).exitCode).toBe(0);
    expect((await web.start()).exitCode).toBe(0);
    const supervisor3 = await readPidFile(web.layout.pidFile);
    const child3 = await readPidFile(web.childPidFile);
    expect(supervisor3).not.toBe(supervisor);
    expect(isAlive(child3)).toBe(true);
    expect((await web.stop()).exitCode).toBe(0);
    expect(isAlive(supervisor3)).toBe(false);
    expect(isAlive(child3)).toBe(false);
  }, 60_000);

  it('serves HTTP under supervision: healthy, killed, restarted, healthy again', async () => {
    const port = await freePort();
    const web = app('pyweb', 'exec python3 -m http.server "$PORT" --bind 127.0.0.1', { PORT: String(port) });
    expect((await web.start()).exitCode).toBe(0);
    const probe: HealthProbe = {
      type: 'http',
      host: '127.0.0.1',
      port,
      path: '/',
      expectStatus: 200,
      command: null,
      intervalSec: 0.2,
      timeoutSec: 2,
      retries: 25,
      startPeriodSec: 0,
      via: 'ssh-forward',
    };
    const first = await verifyHealth(probe, { connect: web.connect });
    expect(first.healthy, first.reason).toBe(true);
    const child = await readPidFile(web.childPidFile);
    process.kill(child, 'SIGKILL');
    await waitFor(() => !isAlive(child), 5000, 'the killed server to die');
    const again = await verifyHealth(probe, { connect: web.connect });
    expect(again.healthy, again.reason).toBe(true);
    expect(await readPidFile(web.childPidFile)).not.toBe(child);
    expect((await web.stop()).exitCode).toBe(0);
    const down = await verifyHealth({ ...probe, retries: 0 }, { connect: web.connect });
    expect(down.healthy).toBe(false);
  }, 30_000);

  it('backs off 1s, 2s, 4s between restarts of a crashing app, and stops during the backoff', async () => {
    const crashy = app('crashy', CRASH_COMMAND);
    expect((await crashy.start()).exitCode).toBe(0);
    const starts = join(crashy.releaseDir, 'starts.log');
    const times = (): number[] =>
      existsSync(starts) ? readFileSync(starts, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];
    await waitFor(() => times().length >= 4, 15_000, 'four starts of the crashing app');
    const [a = 0, b = 0, c = 0, d = 0] = times();
    const gaps = [b - a, c - b, d - c];
    // Each gap is the backoff plus the time to notice the exit and start again.
    expect(gaps[0]).toBeGreaterThanOrEqual(0.95);
    expect(gaps[0]).toBeLessThan(3);
    expect(gaps[1]).toBeGreaterThanOrEqual(1.95);
    expect(gaps[1]).toBeLessThan(4);
    expect(gaps[2]).toBeGreaterThanOrEqual(3.95);
    expect(gaps[2]).toBeLessThan(6);
    expect(crashy.log()).toMatch(/exited with status 3 after \d+s; restarting in 4s/);

    // Now it sleeps 8s before the next start: stop must not wait for that.
    const supervisor = await readPidFile(crashy.layout.pidFile);
    const t0 = Date.now();
    expect((await crashy.stop()).exitCode).toBe(0);
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(isAlive(supervisor)).toBe(false);
    const count = times().length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(times().length).toBe(count);
  }, 40_000);

  it('KILLs a group that ignores TERM once the grace is over', async () => {
    const stubborn = app('stubborn', STUBBORN_COMMAND);
    expect((await stubborn.start({ AUTOMATOS_STOP_GRACE: '1' })).exitCode).toBe(0);
    const supervisor = await readPidFile(stubborn.layout.pidFile);
    const child = await readPidFile(stubborn.childPidFile);
    const grandchild = await readPidFile(join(stubborn.releaseDir, 'grandchild.pid'));
    const t0 = Date.now();
    expect((await stubborn.stop()).exitCode).toBe(0);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
    for (const pid of [supervisor, child, grandchild]) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(stubborn.log()).toContain('still alive after 1s: KILL');
  }, 30_000);
});
