import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without remote mode: a developer's own AUTOMATOS_URL must not send tests to their server. */
function embeddedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['AUTOMATOS_URL'];
  delete env['AUTOMATOS_API_KEY'];
  return env;
}

/** Runs the CLI in-process with captured output, as the binary would with these arguments. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? embeddedEnv(),
  };
  const code = await main(['node', 'automatos', ...args], io);
  return { code, stdout, stderr };
}
