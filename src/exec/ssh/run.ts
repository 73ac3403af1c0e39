import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { AutomatosError } from '../../core/index.js';
import { Deadline, OutputCollector } from '../result.js';
import { checkEnv } from '../shell.js';
import { feedStdin } from '../stdin.js';
import type { RunOptions, RunResult } from '../types.js';
import type { SshPool } from './pool.js';
import { PgidFilter, remoteKillCommand, wrapCommand } from './wrap.js';

/** Extra time after the kill grace before we stop waiting for a channel that will not close. */
const GIVE_UP_AFTER_KILL_MS = 3000;

/**
 * Runs one command on a pooled connection: waits for a channel slot (FIFO), streams output into
 * bounded tails, and on timeout or cancel kills the command's remote process group through a second
 * exec (which bypasses the cap: sshd's MaxSessions is set above it).
 */
export function runOverSsh(
  pool: SshPool,
  command: string,
  options: RunOptions,
  killGraceMs: number,
): Promise<RunResult> {
  try {
    checkEnv(options.env);
  } catch (error) {
    return Promise.reject(error);
  }
  const output = new OutputCollector(options);
  if (options.signal?.aborted) {
    return Promise.resolve(output.result(null, null, { timedOut: false, cancelled: true }));
  }
  const nonce = randomBytes(8).toString('hex');
  const text = wrapCommand(command, { nonce, env: options.env, cwd: options.cwd });
  const unhold = pool.hold();
  const slot = pool.slots.acquire();

  return new Promise((resolve, reject) => {
    let freeSlot: (() => void) | undefined;
    let channel: ClientChannel | undefined;
    let pgid: number | undefined;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let exited = false;
    let killSent = false;
    let giveUp: NodeJS.Timeout | undefined;
    let done = false;

    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      deadline.dispose();
      clearTimeout(giveUp);
      slot.cancel();
      freeSlot?.();
      unhold();
      if (error === undefined) resolve(output.result(exitCode, exitSignal, deadline));
      else reject(error);
    };

    const killGroup = (): void => {
      if (killSent || pgid === undefined) return;
      killSent = true;
      pool.exec(remoteKillCommand(pgid, killGraceMs)).then(
        (killer) => {
          killer.resume();
          killer.stderr.resume();
          killer.end();
        },
        () => undefined, // the connection is gone; the give-up timer ends the wait
      );
    };

    const stop = (): void => {
      if (freeSlot === undefined) return finish(); // still queued: nothing started
      giveUp = setTimeout(() => {
        channel?.close();
        finish();
      }, killGraceMs + GIVE_UP_AFTER_KILL_MS);
      killGroup(); // no-op until the pgid is known; the marker handler calls it then
    };
    const deadline = new Deadline(options, stop);

    const wire = (opened: ClientChannel): void => {
      channel = opened;
      const filter = new PgidFilter(
        nonce,
        (id) => {
          pgid = id;
          if (deadline.ended) killGroup();
        },
        (chunk) => output.err(chunk),
      );
      opened.on('data', (chunk: Buffer) => output.out(chunk));
      opened.stderr.on('data', (chunk: Buffer) => filter.write(chunk));
      opened.on('exit', (code: number | null, signal?: string) => {
        exited = true;
        if (typeof code === 'number') exitCode = code;
        else if (signal !== undefined) exitSignal = signal.startsWith('SIG') ? signal : `SIG${signal}`;
      });
      opened.on('error', () => undefined); // a broken connection shows as close without exit
      opened.on('close', () => {
        filter.flush();
        if (exited || deadline.ended) return finish();
        finish(
          new AutomatosError(
            'AUT_SSH_CHANNEL',
            `Lost the connection to ${pool.where} while a command ran; it may still be running there`,
            { details: { target: pool.where }, transient: true },
          ),
        );
      });
    };

    const start = async (free: () => void): Promise<void> => {
      freeSlot = free;
      if (done) return free();
      if (deadline.ended) return finish();
      try {
        const opened = await pool.exec(text, wire);
        if (!done) feedStdin(options.stdin, opened);
      } catch (error) {
        finish(error);
      }
    };
    slot.granted.then(start, finish);
  });
}
