/**
 * What each layer of the executor costs for `true`, against a floor measured in the same run.
 *
 * SSH (a real sshd on loopback): raw ssh2 exec on one open connection (the floor), the SshExecutor
 * alone (pool + process-group wrapper), the guard alone (policy + in-memory audit + a limiter that
 * never binds), guard + sandbox (execSandbox, as `exec` runs it), the same with the orchestrator's
 * SQLite audit, and the raw ssh2 exec of the sandbox launcher text (the sandbox without the guard).
 * Local: raw spawn('/bin/sh', ['-c', 'true']) (the floor), the LocalExecutor, the guard, guard +
 * sandbox. Then where the sandbox's time goes (bash, bwrap alone, the launcher's mount loops), a
 * concurrency variant, and last, separately, the rate-limited path with the default limiter, which
 * measures the limiter and nothing else.
 *
 * Samples are taken in interleaved rounds so a noisy neighbour does not favour one path; every
 * command's exit status is checked (a sandbox that failed fast would look cheap). No timed
 * assertions: the goal line only reports. Run: npm run bench:exec
 * (BENCH_N samples per path, default 200; BENCH_CONCURRENCY, default 4; BENCH_ROUNDS, default 4)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { AuditLog, checkpointPath, deriveAuditKeys, type AuditRecord } from '../src/audit/index.js';
import { confinedText } from '../src/exec/confine.js';
import {
  DEFAULT_RATE_LIMIT,
  GuardedExecutor,
  LocalExecutor,
  SshExecutor,
  TargetRateLimiter,
  type Executor,
  type GuardedTarget,
  type RateLimitOptions,
  type RunResult,
} from '../src/exec/index.js';
import { execSandbox } from '../src/plan/index.js';
import { createPolicyEngine, DEFAULT_WRITABLE_ROOTS } from '../src/policy/index.js';
import { openStore } from '../src/store/index.js';
import { startSshd } from '../test/harness/sshd.js';

const N = Number(process.env['BENCH_N'] ?? 200);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
// 4, not the pool's 8 channels: sshd (MaxSessions 10, the OpenSSH default) answers `no more
// sessions` to some channel opens at 8 in flight with short commands, raw ssh2 as well as the pool.
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 4);
const WARMUP = 20;
const GOAL = 1.5;
/** The bench's own limiter: so high it never makes a command wait (checked: waits are printed). */
const UNBOUND: RateLimitOptions = { perSecond: 1e9, burst: 1e9 };

/** A limiter that counts what it made callers wait, so each line shows the limiter did not bind. */
class CountingLimiter extends TargetRateLimiter {
  takes = 0;
  waitedMs = 0;
  constructor(readonly setting: RateLimitOptions) {
    super(setting);
  }
  override async take(target: string): Promise<number> {
    const ms = await super.take(target);
    this.takes += 1;
    this.waitedMs += ms;
    return ms;
  }
}
const limitText = (o: RateLimitOptions) =>
  o.perSecond >= 1e9 ? 'unbound (1e9/s, burst 1e9)' : `${o.perSecond}/s, burst ${o.burst}`;

type Run = () => Promise<void>;
interface Path {
  group: 'ssh' | 'local' | 'split';
  name: string;
  run: Run;
  limiter?: CountingLimiter;
  samples: number[];
  /** Wall time / N with CONCURRENCY callers, for the concurrency variant. */
  concurrentMs?: number;
  /** Commands that failed in the concurrency variant (counted, not hidden; they stay in the wall time). */
  concurrentFailed?: number;
}

const ok = (what: string, code: number | null | undefined): void => {
  if (code !== 0) throw new Error(`${what}: exit ${code}, the bench would measure a failure`);
};
const okResult = (what: string, result: RunResult): void => {
  if (result.exitCode !== 0) {
    throw new Error(`${what}: exit ${result.exitCode}: ${result.stderrTail.slice(-300)}`);
  }
};

function spawnRun(file: string, args: string[]): Run {
  return () =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.resume();
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child
        .on('error', reject)
        .on('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`${file}: exit ${code}: ${err.slice(-300)}`)),
        );
    });
}

const work = mkdtempSync(join(tmpdir(), 'automatos-bench-'));
const dataDir = join(work, 'data');
const sshd = await startSshd();
const load0 = loadavg();

// --- raw ssh2 on one open connection ------------------------------------------------------------
function rawSsh2(): Promise<{ client: Client; exec: (command: string) => Run }> {
  const client = new Client();
  return new Promise((resolve, reject) => {
    client
      .on('ready', () => {
        // As the pool does: without it, Nagle and delayed ACKs add ~40 ms to every round trip.
        client.setNoDelay(true);
        const exec = (command: string) => () =>
          new Promise<void>((done, fail) => {
            client.exec(command, (error, stream) => {
              if (error) return fail(error);
              let code: number | null | undefined;
              stream.on('exit', (c: number | null) => (code = c));
              stream
                .on('close', () => {
                  try {
                    ok(`raw ssh2 ${command.slice(0, 30)}`, code);
                    done();
                  } catch (e) {
                    fail(e as Error);
                  }
                })
                .resume();
              stream.stderr.resume();
            });
          });
        resolve({ client, exec });
      })
      .on('error', reject)
      .connect({ host: sshd.host, port: sshd.port, username: sshd.user, privateKey: sshd.privateKey });
  });
}
const raw = await rawSsh2();

// --- executors, targets, guards -----------------------------------------------------------------
const sshExecutor = new SshExecutor({
  name: 'bench-ssh',
  host: sshd.host,
  port: sshd.port,
  user: sshd.user,
  auth: { privateKey: sshd.privateKey },
  hostKey: { fingerprint: sshd.hostKeyFingerprint },
});
const localExecutor = new LocalExecutor();
const target = (name: string, executor: Executor, home: string): GuardedTarget => ({
  name,
  executor,
  profile: 'standard',
  home,
  sandbox: 'bwrap',
  // As the orchestrator does: its data dir is masked in every sandbox.
  protectedPaths: [dataDir],
});
const sshTarget = target('bench-ssh', sshExecutor, join(sshd.dir, 'home'));
const localTarget = target('local', localExecutor, process.env['HOME'] ?? '/root');
const sandbox = execSandbox(DEFAULT_WRITABLE_ROOTS);
const actor = { principal: 'bench', source: 'cli' as const };
const policy = createPolicyEngine();

// The audit in memory: the guard's own work, not SQLite's. Cleared so it does not grow unbounded.
const memory: AuditRecord[] = [];
const memoryAudit = {
  append: (record: AuditRecord) => {
    if (memory.push(record) > 10_000) memory.length = 0;
    return Promise.resolve();
  },
};
const unbound = new CountingLimiter(UNBOUND);
const guard = new GuardedExecutor({ policy, audit: memoryAudit, limiter: unbound });

// The orchestrator's audit (keyed chain, signed checkpoints), for one extra line.
const store = await openStore({ dataDir });
const keys = deriveAuditKeys(randomBytes(32));
const sqliteLimiter = new CountingLimiter(UNBOUND);
const sqliteGuard = new GuardedExecutor({
  policy,
  audit: new AuditLog(store, { keys, checkpoints: { file: checkpointPath(dataDir) } }),
  limiter: sqliteLimiter,
});

const guarded =
  (g: GuardedExecutor, t: GuardedTarget, confined: boolean, what: string): Run =>
  async () => {
    const result = await g.run(t, 'true', { cwd: '/', ...(confined ? { sandbox } : {}) }, actor);
    okResult(what, result);
  };

// The sandbox really is there: the command is pid 1 or 2 of its own PID namespace (also runs the
// once-per-target probe before anything is timed).
for (const t of [sshTarget, localTarget]) {
  const inside = await guard.run(t, 'echo $$', { cwd: '/', sandbox }, actor);
  const outside = await guard.run(t, 'echo $$', { cwd: '/' }, actor);
  const pid = Number(inside.stdoutTail.trim());
  if (!(pid >= 1 && pid <= 2) || Number(outside.stdoutTail.trim()) <= 2) {
    throw new Error(`${t.name}: sandbox not in effect (pid inside ${inside.stdoutTail.trim()})`);
  }
}

// What the guard sends for a confined `true`, run without the guard: the sandbox's own cost.
const launcherText = confinedText(sshTarget, sandbox, 'bash', 'true');
const localLauncherText = confinedText(localTarget, sandbox, 'bash', 'true');
const BWRAP_ARGS = [
  ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
  ...['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent'],
  ...['--cap-drop', 'ALL', '--chdir', '/', '--'],
];

const paths: Path[] = [];
const add = (group: Path['group'], name: string, run: Run, limiter?: CountingLimiter): Path => {
  const path: Path = { group, name, run, samples: [], ...(limiter ? { limiter } : {}) };
  paths.push(path);
  return path;
};
const SSH_RAW = add('ssh', 'raw ssh2 exec, one open connection (floor)', raw.exec('true'));
const SSH_EXECUTOR = add('ssh', 'SshExecutor alone (pool + pgid wrapper)', async () =>
  okResult('SshExecutor', await sshExecutor.run('true')),
);
const SSH_GUARD = add(
  'ssh',
  'guard alone (policy + audit in memory + pool)',
  guarded(guard, sshTarget, false, 'ssh guard'),
  unbound,
);
const SSH_SANDBOX = add(
  'ssh',
  'guard + sandbox (execSandbox, bwrap + bash)',
  guarded(guard, sshTarget, true, 'ssh guard+sandbox'),
  unbound,
);
add(
  'ssh',
  'guard + sandbox, SQLite audit (keyed, checkpoints)',
  guarded(sqliteGuard, sshTarget, true, 'ssh guard+sandbox sqlite'),
  sqliteLimiter,
);
const SSH_LAUNCHER = add('ssh', 'raw ssh2 exec of the sandbox launcher (no guard)', raw.exec(launcherText));
const LOCAL_RAW = add(
  'local',
  "raw spawn('/bin/sh', ['-c', 'true']) (floor)",
  spawnRun('/bin/sh', ['-c', 'true']),
);
add('local', 'LocalExecutor alone (process group)', async () =>
  okResult('LocalExecutor', await localExecutor.run('true')),
);
const LOCAL_GUARD = add(
  'local',
  'guard alone (policy + audit in memory)',
  guarded(guard, localTarget, false, 'local guard'),
  unbound,
);
const LOCAL_SANDBOX = add(
  'local',
  'guard + sandbox (execSandbox, bwrap + bash)',
  guarded(guard, localTarget, true, 'local guard+sandbox'),
  unbound,
);
const BASH = ['bash', '--noprofile', '--norc', '-c', 'true'];
const SPLIT_BASH = add(
  'split',
  "spawn('bash', ['--noprofile', '--norc', '-c', 'true'])",
  spawnRun('bash', BASH.slice(1)),
);
const SPLIT_BWRAP_MIN = add(
  'split',
  'spawn bwrap --ro-bind / / bash -c true (bwrap at its least)',
  spawnRun('bwrap', ['--ro-bind', '/', '/', ...BASH]),
);
const SPLIT_BWRAP = add(
  'split',
  'spawn bwrap <launcher flags, no masks> bash -c true',
  spawnRun('bwrap', [...BWRAP_ARGS, ...BASH]),
);
const SPLIT_LAUNCHER = add(
  'split',
  "spawn('/bin/sh', ['-c', <full launcher>]) (masks + bwrap + bash)",
  spawnRun('/bin/sh', ['-c', localLauncherText]),
);

// --- sequential samples, interleaved rounds ---------------------------------------------------
for (const path of paths) for (let i = 0; i < WARMUP; i += 1) await path.run();
for (const path of paths) if (path.limiter) path.limiter.waitedMs = 0;
const perRound = Math.ceil(N / ROUNDS);
for (let round = 0; round < ROUNDS; round += 1) {
  // Rotate the order each round: no path always runs right after the expensive one.
  const shift = (round * 3) % paths.length;
  const order = [...paths.slice(shift), ...paths.slice(0, shift)];
  for (const path of order) {
    for (let i = 0; i < perRound; i += 1) {
      const started = performance.now();
      await path.run();
      path.samples.push(performance.now() - started);
    }
  }
}

// --- concurrency variant: CONCURRENCY callers, N commands; wall time / N ----------------------
async function concurrent(path: Path): Promise<void> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < N) {
      next += 1;
      await path.run().catch(() => (failed += 1));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  path.concurrentMs = (performance.now() - started) / N;
  path.concurrentFailed = failed;
}
const concurrentPaths = [SSH_RAW, SSH_GUARD, SSH_SANDBOX, LOCAL_RAW, LOCAL_GUARD, LOCAL_SANDBOX];
for (const path of concurrentPaths) await concurrent(path); // warm: the pool opens its channels
for (const path of concurrentPaths) await concurrent(path);

// --- the rate-limited path, separately: the default limiter ----------------------------------
// Two phases: a fresh bucket (the burst goes through at once), then, with the bucket drained, the
// steady state, where every command waits its turn (1000 / perSecond ms apart).
const defaultLimiter = new CountingLimiter(DEFAULT_RATE_LIMIT);
const limitedGuard = new GuardedExecutor({ policy, audit: memoryAudit, limiter: defaultLimiter });
interface Phase {
  name: string;
  samples: number[];
  wallMs: number;
  waitedMs: number;
}
async function limitedPhase(name: string, count: number): Promise<Phase> {
  const waitedBefore = defaultLimiter.waitedMs;
  const samples: number[] = [];
  const phaseStarted = performance.now();
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    okResult('limited', await limitedGuard.run(sshTarget, 'true', { cwd: '/' }, actor));
    samples.push(performance.now() - started);
  }
  const wallMs = performance.now() - phaseStarted;
  return { name, samples, wallMs, waitedMs: defaultLimiter.waitedMs - waitedBefore };
}
const burstPhase = await limitedPhase(
  `fresh bucket: the first ${DEFAULT_RATE_LIMIT.burst} (the burst)`,
  DEFAULT_RATE_LIMIT.burst,
);
// Drain what the bucket earned meanwhile: take tokens until a take has to wait.
while ((await defaultLimiter.take(sshTarget.name)) === 0);
const steadyPhase = await limitedPhase(`drained bucket: ${N} more (steady state)`, N);

raw.client.end();
await sshExecutor.close();
await store.close();
await sshd.stop();
rmSync(work, { recursive: true, force: true });

// --- report -----------------------------------------------------------------------------------
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
const median = (values: number[]) => quantile(values, 0.5);
const r2 = (x: number) => Number(x.toFixed(2));
const floorOf = (path: Path) => median((path.group === 'ssh' ? SSH_RAW : LOCAL_RAW).samples);
const row = (path: Path) => ({
  path: path.name,
  'median ms': r2(median(path.samples)),
  'p95 ms': r2(quantile(path.samples, 0.95)),
  'x floor': r2(median(path.samples) / floorOf(path)),
  'limiter wait ms': path.limiter ? path.limiter.waitedMs : '-',
});

console.log(
  `${N} sequential \`true\` per path (${WARMUP} warm-up, ${ROUNDS} interleaved rounds); ` +
    `bench limiter: ${limitText(UNBOUND)}; load average ${load0.map(r2).join(' ')} -> ${loadavg().map(r2).join(' ')}`,
);
console.log('\nSSH, a real sshd on loopback; x floor = median / raw ssh2 median');
console.table(paths.filter((p) => p.group === 'ssh').map(row));
console.log("\nlocal; x floor = median / raw spawn('/bin/sh') median");
console.table(paths.filter((p) => p.group === 'local').map(row));
console.log("\nwhere the sandbox's time goes (local spawns; x floor = vs sh -c true)");
console.table(paths.filter((p) => p.group === 'split').map(row));

const d = (a: Path, b: Path) => r2(median(a.samples) - median(b.samples));
console.log(
  `local sandbox (median deltas): bash instead of sh +${d(SPLIT_BASH, LOCAL_RAW)} ms, ` +
    `bwrap itself +${d(SPLIT_BWRAP_MIN, SPLIT_BASH)} ms, its namespaces, /proc, /dev, /tmp ` +
    `+${d(SPLIT_BWRAP, SPLIT_BWRAP_MIN)} ms, the launcher's masks +${d(SPLIT_LAUNCHER, SPLIT_BWRAP)} ms`,
);
console.log(
  `SSH layers (median deltas): pool + wrapper +${d(SSH_EXECUTOR, SSH_RAW)} ms, ` +
    `policy + audit +${d(SSH_GUARD, SSH_EXECUTOR)} ms, sandbox +${d(SSH_SANDBOX, SSH_GUARD)} ms ` +
    `(launcher over raw ssh2: +${d(SSH_LAUNCHER, SSH_RAW)} ms)`,
);

console.log(`\nconcurrency ${CONCURRENCY}, ${N} commands per path; ms/command = wall time / ${N}`);
console.table(
  concurrentPaths.map((path) => {
    const ms = path.concurrentMs ?? NaN;
    const base = (path.group === 'ssh' ? SSH_RAW : LOCAL_RAW).concurrentMs ?? NaN;
    return {
      path: `${path.group}: ${path.name}`,
      'ms/command': r2(ms),
      'x floor': r2(ms / base),
      failed: path.concurrentFailed ?? 0,
    };
  }),
);

console.log(
  `\nRATE LIMITER (this measures the limiter, not the guard): guard alone over SSH, ` +
    `default limiter ${limitText(DEFAULT_RATE_LIMIT)}`,
);
console.table(
  [burstPhase, steadyPhase].map((phase) => ({
    path: phase.name,
    'median ms': r2(median(phase.samples)),
    'p95 ms': r2(quantile(phase.samples, 0.95)),
    'commands/s': Math.round(phase.samples.length / (phase.wallMs / 1000)),
    'limiter wait ms': phase.waitedMs,
  })),
);

const sshRatio = median(SSH_SANDBOX.samples) / median(SSH_RAW.samples);
const localRatio = median(LOCAL_SANDBOX.samples) / median(LOCAL_RAW.samples);
console.log(
  `\ngoal: guard + sandbox <= ${GOAL}x raw ssh2 for \`true\`: ${r2(sshRatio)}x -> ` +
    `${sshRatio <= GOAL ? 'MET' : 'NOT MET'} (local: ${r2(localRatio)}x vs raw spawn)`,
);
