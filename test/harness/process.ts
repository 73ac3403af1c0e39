// Host-side checks of what a command left behind. Tests run on the same machine as the local
// executor and the harness's sshd, so /proc is the ground truth.
import { existsSync, readFileSync } from 'node:fs';

/** Alive means a process exists and is not a zombie (a container's pid 1 may never reap). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until `path` holds a pid and returns it. */
export async function readPidFile(path: string, timeoutMs = 10_000): Promise<number> {
  await waitFor(
    () => existsSync(path) && /^\d+\s*$/.test(readFileSync(path, 'utf8')),
    timeoutMs,
    `pid in ${path}`,
  );
  return Number(readFileSync(path, 'utf8').trim());
}
