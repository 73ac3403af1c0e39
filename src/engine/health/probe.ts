import type { Duplex } from 'node:stream';
import type { HealthProbe } from '../../plan/index.js';
import { httpRequest, isSafePath, parseStatusLine, responseBody, statusMatches } from './http.js';
import type { Connect, ProbeOptions, ProbeResult } from './types.js';

/** What an http probe keeps of the response: the head and the start of the body, for the operator. */
const MAX_RESPONSE_BYTES = 4096;
const DETAIL_BODY_CHARS = 200;

class ProbeTimeout extends Error {}
class ProbeCancelled extends Error {}

/**
 * One attempt of a health check, bounded by `check.timeoutSec` (connect + answer). `http` sends a
 * raw `GET` over the Duplex from `connect` (for SSH targets a forwarded channel, so the target needs
 * no curl and no open port) and compares the status; `tcp` only needs the connection; `command` runs
 * the planned check command through `options.runCommand` (the guard). Never throws: a failure is an
 * unhealthy result whose detail says what happened.
 */
export async function probeOnce(
  check: HealthProbe,
  connect: Connect,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = Math.max(1, check.timeoutSec * 1000);
  const result = (healthy: boolean, statusCode: number | null, detail: string): ProbeResult => ({
    healthy,
    statusCode,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    detail,
  });
  if (options.signal?.aborted) return result(false, null, 'cancelled before the probe started');

  if (check.type === 'command') {
    if (options.runCommand === undefined) return result(false, null, 'no command runner for a command probe');
    try {
      const run = await options.runCommand({
        timeoutMs,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (run.timedOut === true) return result(false, null, `command timed out after ${check.timeoutSec}s`);
      const output = `${run.stdoutTail ?? ''}${run.stderrTail ?? ''}`.trim().slice(-DETAIL_BODY_CHARS);
      const exit = run.exitCode === null ? 'was killed' : `exited ${run.exitCode}`;
      return result(run.exitCode === 0, null, output ? `command ${exit}: ${output}` : `command ${exit}`);
    } catch (error) {
      return result(false, null, `command failed: ${messageOf(error)}`);
    }
  }

  const where = `${check.host}:${check.port}`;
  if (check.type === 'http' && (check.path === null || !isSafePath(check.path))) {
    return result(false, null, `refusing to probe ${JSON.stringify(check.path)}: not an absolute path`);
  }
  const deadline = new Deadline(timeoutMs, options.signal);
  let stream: Duplex | undefined;
  try {
    stream = await deadline.race(connect(check.host, check.port), (late) => late.destroy());
    if (check.type === 'tcp') return result(true, null, `connected to ${where}`);
    const path = check.path ?? '/';
    const response = await deadline.race(exchange(stream, httpRequest(check.host, check.port, path)));
    const statusLine = response.slice(0, response.indexOf('\r\n') >>> 0).trim();
    const status = parseStatusLine(statusLine);
    if (status === undefined) {
      return result(
        false,
        null,
        `GET ${path}: not an HTTP response: ${JSON.stringify(response.slice(0, 80))}`,
      );
    }
    const healthy = statusMatches(status, check.expectStatus);
    const expected = check.expectStatus === null ? '2xx/3xx' : String(check.expectStatus);
    const body = oneLine(responseBody(response)).slice(0, DETAIL_BODY_CHARS);
    return result(
      healthy,
      status,
      `GET ${path}: ${statusLine}${healthy ? '' : ` (expected ${expected})`}${body ? ` — ${body}` : ''}`,
    );
  } catch (error) {
    if (error instanceof ProbeTimeout) {
      const what = stream === undefined ? `connecting to ${where}` : `waiting for ${where} to answer`;
      return result(false, null, `timed out after ${check.timeoutSec}s ${what}`);
    }
    if (error instanceof ProbeCancelled) return result(false, null, 'cancelled');
    return result(false, null, `cannot reach ${where}: ${messageOf(error)}`);
  } finally {
    deadline.dispose();
    stream?.destroy();
  }
}

/** Writes the request and collects the response until the peer closes or enough bytes arrived. */
function exchange(stream: Duplex, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const failed = (error: Error): void => {
      cleanup();
      // A reset after the status line still leaves a usable answer.
      if (size > 0) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_RESPONSE_BYTES) done();
    };
    const onClose = (): void =>
      size > 0 ? done() : failed(new Error('the connection closed without an answer'));
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onClose);
      stream.off('close', onClose);
      stream.off('error', failed);
    };
    stream.on('data', onData);
    stream.once('end', onClose);
    stream.once('close', onClose);
    stream.once('error', failed);
    stream.write(request);
  });
}

/** One timer for the whole attempt, also ended by the caller's AbortSignal. */
class Deadline {
  private timer: NodeJS.Timeout;
  private readonly ended: Promise<never>;
  private fail: (error: Error) => void = () => undefined;
  private readonly onAbort = (): void => this.fail(new ProbeCancelled());

  constructor(
    ms: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.ended = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    this.ended.catch(() => undefined);
    this.timer = setTimeout(() => this.fail(new ProbeTimeout()), ms);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** `work`, unless the deadline comes first; a late result is handed to `discard`. */
  race<T>(work: Promise<T>, discard?: (late: T) => void): Promise<T> {
    return Promise.race([work, this.ended]).catch((error: unknown) => {
      if (discard !== undefined) work.then(discard, () => undefined);
      throw error;
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
