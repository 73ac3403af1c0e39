// A throwaway ssh-agent holding one key, for testing agent authentication.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './process.js';
import { existsSync } from 'node:fs';

export interface Agent {
  socket: string;
  stop(): void;
}

export async function startAgent(keyFile: string): Promise<Agent> {
  const dir = mkdtempSync(join(tmpdir(), 'automatos-agent-'));
  const socket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  await waitFor(() => existsSync(socket), 5000, 'ssh-agent socket');
  const added = spawnSync('ssh-add', [keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  if (added.status !== 0) throw new Error(`ssh-add failed: ${String(added.stderr)}`);
  return {
    socket,
    stop: () => {
      agent.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
