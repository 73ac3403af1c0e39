/** Where a command writes. Tests pass a recorder; the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal: live views with spinners instead of plain lines. */
  tty?: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  tty: process.stdout.isTTY && process.env['CI'] === undefined && process.env['TERM'] !== 'dumb',
};

export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
