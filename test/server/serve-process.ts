import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const RUN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'run.ts');
const children: ChildProcess[] = [];

/** Kills every server process a test left running (after a failed assertion). */
export function killServed(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export interface Served {
  url: string;
  stderr: () => string;
  child: ChildProcess;
  stop: () => Promise<number | null>;
}

/** `automatos serve --port 0` as a real process; resolves once it listens. */
export async function serve(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', RUN, '--data-dir', dataDir, 'serve', '--port', '0'],
    {
      env: { ...process.env, AUTOMATOS_MASTER_KEY: '', AUTOMATOS_ADMIN_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    child.stderr?.on('data', () => {
      const match = /listening on (http:\/\/\S+) /.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return {
    url,
    stderr: () => stderr,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
