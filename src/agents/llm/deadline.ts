import { llmCancelled, llmTimeout, type ModelRef } from './errors.js';

/**
 * Runs one model call under a hard deadline. The SDKs' own timeout is per HTTP attempt and their
 * retries sleep without watching the signal, so a timeout of 60s could stretch to minutes; here
 * the configured time is the whole call, retries included. Aborting the signal stops the SDK's
 * request; the race makes the caller's promise settle at the deadline whatever the SDK does next.
 */
export async function withDeadline<T>(
  ref: ModelRef,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = outer === undefined ? deadline.signal : AbortSignal.any([outer, deadline.signal]);
  const stopped = () => (deadline.signal.aborted ? llmTimeout(ref, timeoutMs) : llmCancelled(ref));
  let onAbort = (): void => undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      onAbort = () => reject(stopped());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      work(signal).then(resolve, reject);
    });
  } catch (error) {
    throw signal.aborted ? stopped() : error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
