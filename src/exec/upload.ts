import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { AutomatosError } from '../core/index.js';
import { remoteUntarCommand, tarCreateArgs } from './tar.js';
import type { RunOptions, RunResult, UploadOptions, UploadResult } from './types.js';

type Run = (command: string, options: RunOptions) => Promise<RunResult>;

/**
 * Streams `localDir` as a tar archive into `remoteUntarCommand(remoteDir)` run through `run`, so the
 * upload obeys the same timeout, cancellation and process-group kill as any command.
 */
export async function uploadTree(
  run: Run,
  localDir: string,
  remoteDir: string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const started = performance.now();
  if (!isDirectory(localDir)) {
    throw new AutomatosError('AUT_EXEC_UPLOAD', `Cannot upload ${localDir}: not a directory`, {
      details: { localDir, remoteDir },
    });
  }
  const tar = spawn('tar', tarCreateArgs(localDir, options.exclude), { stdio: ['ignore', 'pipe', 'pipe'] });
  let createError = '';
  tar.stderr.on('data', (chunk: Buffer) => {
    if (createError.length < 4096) createError += chunk.toString('utf8');
  });
  const created = new Promise<number | null>((resolve) => {
    tar.once('error', (error) => {
      createError += error.message;
      resolve(-1);
    });
    tar.once('close', (code) => resolve(code));
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  tar.stdout.pipe(counter);

  let result: RunResult;
  try {
    result = await run(remoteUntarCommand(remoteDir), {
      stdin: counter,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } finally {
    if (tar.exitCode === null) tar.kill('SIGKILL');
  }
  const createCode = await created;
  const where = { localDir, remoteDir };
  if (result.timedOut) {
    throw new AutomatosError('AUT_EXEC_TIMEOUT', `Upload to ${remoteDir} timed out`, {
      details: where,
      transient: true,
    });
  }
  if (result.cancelled) {
    throw new AutomatosError('AUT_EXEC_CANCELLED', `Upload to ${remoteDir} was cancelled`, {
      details: where,
    });
  }
  if (result.exitCode !== 0) {
    throw new AutomatosError(
      'AUT_EXEC_UPLOAD',
      `Unpacking into ${remoteDir} failed (exit ${result.exitCode ?? result.signal}): ${result.stderrTail.trim()}`,
      { details: { ...where, exitCode: result.exitCode } },
    );
  }
  if (createCode !== 0) {
    throw new AutomatosError('AUT_EXEC_UPLOAD', `Cannot pack ${localDir}: ${createError.trim()}`, {
      details: where,
    });
  }
  return { bytes, durationMs: Math.round(performance.now() - started) };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
