const tails = new WeakMap<object, Promise<unknown>>();

/**
 * Runs tasks for the same key one at a time, in call order, even when callers do not await each
 * other. A failed task does not block the ones queued after it.
 */
export function serialize<T>(key: object, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  tails.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}
