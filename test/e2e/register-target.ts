import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, type CliResult } from '../cli/run-cli.js';
import type { Sshd } from '../harness/sshd.js';

export interface RegisterTarget {
  dataDir: string;
  name: string;
  sshd: Sshd;
  /** The deploy root on the "host". */
  root: string;
  /** Where the private key file is written (as `<dir>/<name>.key`). */
  keyDir: string;
  /** More `targets add` flags, e.g. `--label role=web`. */
  extra?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** `automatos targets add` for a harness sshd: its key stored, its host key pinned, its own root. */
export async function registerTarget(t: RegisterTarget): Promise<CliResult> {
  const key = join(t.keyDir, `${t.name}.key`);
  await writeFile(key, t.sshd.privateKey, { mode: 0o600 });
  return runCli(
    [
      '--data-dir',
      t.dataDir,
      'targets',
      'add',
      t.name,
      '--host',
      '127.0.0.1',
      '--port',
      String(t.sshd.port),
      '--key',
      key,
      '--fingerprint',
      t.sshd.hostKeyFingerprint,
      '--root',
      t.root,
      ...(t.extra ?? []),
    ],
    t.env === undefined ? {} : { env: t.env },
  );
}
