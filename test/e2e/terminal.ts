import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { shellQuote } from '../../src/core/index.js';

const ENTRY = join(import.meta.dirname, '..', '..', 'bin', 'automatos.js');

/**
 * Runs the built CLI under `script`, which gives it a real pseudo-terminal as an operator's shell
 * would (120x50, xterm colours). Resolves with the exit code and everything it drew, escape codes
 * stripped.
 */
export async function runInTerminal(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; text: string }> {
  const command = `stty cols 120 rows 50; exec ${process.execPath} ${ENTRY} ${args.map(shellQuote).join(' ')}`;
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...env, CI: undefined, TERM: 'xterm-256color' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
  return { code: output.code, text: stripVTControlCharacters(output.text) };
}
