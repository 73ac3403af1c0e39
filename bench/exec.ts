/**
 * 200 sequential `true` commands on one target (a real sshd on loopback), three ways:
 *   raw ssh2 exec on one open connection (the floor), the guarded executor (policy + audit + pool),
 *   and OpenSSH `ssh` with a new connection per command. Run: npm run bench:exec
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { AuditLog } from '../src/audit/index.js';
import { GuardedExecutor, SshExecutor } from '../src/exec/index.js';
import { createPolicyEngine } from '../src/policy/index.js';
import { openStore } from '../src/store/index.js';
import { startSshd } from '../test/harness/sshd.js';

const N = Number(process.env['BENCH_N'] ?? 200);
const sshd = await startSshd();
const work = mkdtempSync(join(tmpdir(), 'automatos-bench-'));
const keyFile = join(work, 'id');
writeFileSync(keyFile, sshd.privateKey, { mode: 0o600 });

async function timed(run: () => Promise<void>): Promise<number> {
  await run(); // warm-up: connection, parser, JIT
  const started = performance.now();
  for (let i = 0; i < N; i += 1) await run();
  return (performance.now() - started) / N;
}

function rawSsh2(): Promise<{ client: Client; run: () => Promise<void> }> {
  const client = new Client();
  return new Promise((resolve, reject) => {
    client
      .on('ready', () => {
        // As the pool does: without it, Nagle and delayed ACKs add ~40 ms to every round trip.
        client.setNoDelay(true);
        const run = () =>
          new Promise<void>((done, fail) => {
            client.exec('true', (error, stream) => {
              if (error) return fail(error);
              stream.on('close', () => done()).resume();
              stream.stderr.resume();
            });
          });
        resolve({ client, run });
      })
      .on('error', reject)
      .connect({ host: sshd.host, port: sshd.port, username: sshd.user, privateKey: sshd.privateKey });
  });
}

const raw = await rawSsh2();
const floor = await timed(raw.run);
raw.client.end();

const store = await openStore({ dataDir: join(work, 'data') });
const executor = new SshExecutor({
  name: 'bench',
  host: sshd.host,
  port: sshd.port,
  user: sshd.user,
  auth: { privateKey: sshd.privateKey },
  hostKey: { fingerprint: sshd.hostKeyFingerprint },
});
const guard = new GuardedExecutor({ policy: createPolicyEngine(), audit: new AuditLog(store) });
const target = { name: 'bench', executor, profile: 'standard' as const, home: '/root', sandbox: 'bwrap' as const };
const actor = { principal: 'bench', source: 'cli' as const };
const guarded = await timed(async () => {
  await guard.run(target, 'true', { cwd: '/' }, actor);
});
const pooledOnly = await timed(async () => {
  await executor.run('true');
});
await executor.close();
await store.close();

const openssh = await timed(
  () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(
        'ssh',
        [
          '-i',
          keyFile,
          '-p',
          String(sshd.port),
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'LogLevel=ERROR',
          '-o',
          'BatchMode=yes',
          `${sshd.user}@${sshd.host}`,
          'true',
        ],
        { stdio: 'ignore' },
      );
      child
        .on('error', reject)
        .on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ssh exited ${code}`))));
    }),
);
await sshd.stop();

const row = (path: string, ms: number) => ({
  path,
  'ms/command': Number(ms.toFixed(2)),
  'ratio to floor': Number((ms / floor).toFixed(2)),
});
console.table([
  row('raw ssh2 exec, one open connection (floor)', floor),
  row('SshExecutor alone (pool, process-group wrapper)', pooledOnly),
  row('guarded executor (policy + audit + pool)', guarded),
  row('OpenSSH ssh, new connection per command', openssh),
]);
console.log(`${N} sequential \`true\` commands per path; goal: guarded / floor <= 1.25`);
