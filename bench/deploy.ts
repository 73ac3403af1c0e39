/**
 * Wall time of a redeploy of examples/node-http to one real sshd on loopback, two ways:
 *   a plain bash script doing the same steps over one OpenSSH ControlMaster connection (the floor),
 *   and `automatos deploy SRC --target web1` in-process through the CLI's `main`;
 * then the same port-less job (command health check, as the e2e `jobApp`) to 1 vs 4 targets.
 * Every path gets one untimed warm-up deploy, then REPS timed redeploys (median reported), each with
 * a fresh data dir. Run: npm run bench:deploy  (BENCH_REPS=3, BENCH_DEADLINE_S=900)
 */
import { stopAppsUnder, writeJobApp } from '../test/e2e/job-app.js';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';
import { runCli } from '../test/cli/run-cli.js';
import { registerTarget } from '../test/e2e/register-target.js';
import { freePort, startSshd, type Sshd } from '../test/harness/sshd.js';

const REPS = Number(process.env['BENCH_REPS'] ?? 3);
const DEADLINE_S = Number(process.env['BENCH_DEADLINE_S'] ?? 900);
const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'node-http');

const base = await mkdtemp(join(tmpdir(), 'automatos-bench-deploy-'));
const sshds: Sshd[] = [];
/** Every deploy root on this machine: each app's run/*.pid is a process group to stop at the end. */
const roots = new Set<string>();
let cleaning: Promise<void> | undefined;

function killGroupsUnder(root: string): void {
  if (!existsSync(root)) return;
  for (const app of readdirSync(root)) {
    const run = join(root, app, 'run');
    if (!existsSync(run)) continue;
    for (const file of readdirSync(run).filter((f) => f.endsWith('.pid'))) {
      const pid = Number(readFileSync(join(run, file), 'utf8').trim());
      if (!Number.isInteger(pid) || pid <= 1) continue;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

async function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const [first] = sshds;
    if (first !== undefined) {
      // As test/e2e/deploy.test.ts afterAll: stop every supervisor through Automatos itself.
      const dataDir = join(base, 'cleanup-data');
      const key = join(base, 'cleanup.key');
      await writeFile(key, first.privateKey, { mode: 0o600 });
      await runCli([
        '--data-dir',
        dataDir,
        'targets',
        'add',
        'web1',
        '--host',
        '127.0.0.1',
        '--port',
        String(first.port),
        '--key',
        key,
        '--fingerprint',
        first.hostKeyFingerprint,
        '--root',
        base,
      ]).catch(() => undefined);
      for (const root of roots) {
        await stopAppsUnder(root);
      }
    }
    // Belt and braces (same machine): the floor's app and anything the stop above missed.
    for (const root of roots) killGroupsUnder(root);
    await Promise.all(sshds.map((s) => s.stop().catch(() => undefined)));
    await rm(base, { recursive: true, force: true });
  })();
  return cleaning;
}

const deadline = setTimeout(() => {
  console.error(`bench:deploy: over its ${DEADLINE_S}s deadline, cleaning up and exiting`);
  void cleanup().finally(() => process.exit(2));
}, DEADLINE_S * 1000);
deadline.unref();
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

// ---------------------------------------------------------------- sources

/** A copy of examples/node-http on its own port (and, optionally, another health interval). */
async function nodeApp(name: string, port: number, interval?: number): Promise<string> {
  const dir = join(base, `src-${name}`);
  await cp(EXAMPLE, dir, { recursive: true });
  let manifest = (await readFile(join(dir, 'ai-module.yaml'), 'utf8')).replace('port: 3000', `port: ${port}`);
  if (interval !== undefined) manifest = manifest.replace('interval: 10', `interval: ${interval}`);
  await writeFile(join(dir, 'ai-module.yaml'), manifest);
  return dir;
}

function jobApp(): Promise<string> {
  return writeJobApp(join(base, 'src-job'));
}

// ---------------------------------------------------------------- the floor: bash + ControlMaster

const FLOOR_SCRIPT = String.raw`#!/usr/bin/env bash
# The same steps as Automatos' plan for examples/node-http, over one OpenSSH ControlMaster connection.
set -euo pipefail
s() {
  ssh -i "$KEY" -p "$SSH_PORT" -o ControlMaster=auto -o "ControlPath=$CTL" -o ControlPersist=60 \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes \
    "$SSH_USER@127.0.0.1" "$@"
}
APP="$ROOT/node-http"; R="$APP/releases/$REL"; ENV="$APP/shared/.env"
# upload
s "mkdir -p $R $APP/shared/logs $APP/run"
tar -c -f - -C "$SRC" --exclude=.git --exclude=node_modules --exclude=.env . | s "tar -x -f - -C $R"
# prepare: the env file, mode 0600
printf "GREETING='hello from automatos'\nNODE_ENV=production\nPORT=%s\n" "$APP_PORT" \
  | s "install -m 0600 /dev/stdin $ENV"
# build, test
s "cd $R && set -a && . $ENV && set +a && node --check server.js"
s "cd $R && set -a && . $ENV && set +a && node --test" >/dev/null
# release: switch current atomically, stop the previous app, start the new one in its own session
s "ln -sfn $R $APP/current.next && mv -T $APP/current.next $APP/current"
s "if [ -f $APP/run/node-http.pid ]; then kill -TERM -- -\$(cat $APP/run/node-http.pid) 2>/dev/null || true; rm -f $APP/run/node-http.pid; fi"
s "cd $APP/current && set -a && . $ENV && set +a && { setsid nohup sh -c 'node server.js' >> $APP/shared/logs/node-http.log 2>&1 < /dev/null & echo \$! > $APP/run/node-http.pid; }"
# verify: poll /health from this side (the sshd is local) until 200, 50 ms apart, 30 s at most
node -e '
  const http = require("node:http");
  const until = Date.now() + 30000;
  const once = () => http.get({ host: "127.0.0.1", port: Number(process.argv[1]), path: "/health", timeout: 1000 }, (res) => {
    res.resume();
    if (res.statusCode === 200) process.exit(0); else again();
  }).on("error", again).on("timeout", function () { this.destroy(); });
  function again() { if (Date.now() > until) process.exit(1); setTimeout(once, 50); }
  once();
' "$APP_PORT"
`;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject).on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args[0] ?? ''} exited ${code ?? signal}: ${stderr}`));
    });
  });
}

async function floorRun(
  sshd: Sshd,
  key: string,
  src: string,
  root: string,
  appPort: number,
  n: number,
): Promise<number> {
  const script = join(base, 'floor.sh');
  if (!existsSync(script)) await writeFile(script, FLOOR_SCRIPT, { mode: 0o755 });
  const ctl = join(base, `cm-${n}`);
  const env = {
    ...process.env,
    KEY: key,
    SSH_PORT: String(sshd.port),
    SSH_USER: sshd.user,
    CTL: ctl,
    SRC: src,
    ROOT: root,
    REL: `floor-${n}`,
    APP_PORT: String(appPort),
  };
  const started = performance.now();
  await run('bash', [script], env, 120_000);
  const seconds = (performance.now() - started) / 1000;
  // Close the master outside the timing (ControlPersist would keep it 60 s).
  await run('ssh', ['-o', `ControlPath=${ctl}`, '-O', 'exit', 'x'], env, 10_000).catch(() => undefined);
  return seconds;
}

// ---------------------------------------------------------------- Automatos through the CLI's main

interface Timed {
  seconds: number;
  /** [target] step → ms offsets of running / succeeded, from the start of `main`. */
  marks: { at: number; target: string; step: string; status: string }[];
  stdout: string;
  stderr: string;
}

async function timedDeploy(dataDir: string, src: string, targets: string): Promise<Timed> {
  let stdout = '';
  let stderr = '';
  const marks: Timed['marks'] = [];
  const started = performance.now();
  const io: Io = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
      const at = performance.now() - started;
      for (const line of text.split('\n')) {
        const m = /^\[(\S+)\] (\S+)\s+(running|succeeded|failed|skipped)\b/.exec(line);
        if (m !== null) marks.push({ at, target: m[1] ?? '', step: m[2] ?? '', status: m[3] ?? '' });
      }
    },
    cwd: process.cwd(),
    env: process.env,
  };
  const code = await main(
    ['node', 'automatos', '--data-dir', dataDir, 'deploy', src, '--target', targets],
    io,
  );
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`automatos deploy exited ${code}\n${stdout}\n${stderr}`);
  return { seconds, marks, stdout, stderr };
}

interface Target {
  name: string;
  sshd: Sshd;
  key: string;
  root: string;
}

async function addTargets(dataDir: string, targets: Target[]): Promise<void> {
  for (const t of targets) {
    const r = await registerTarget({ dataDir, name: t.name, sshd: t.sshd, root: t.root, keyDir: base });
    if (r.code !== 0) throw new Error(`targets add ${t.name}: ${r.stderr}`);
  }
}

let dataDirs = 0;
/** One untimed warm-up deploy (so every timed run is a redeploy), then REPS runs, fresh data dir each. */
async function automatosPath(src: string, targets: Target[]): Promise<{ times: number[]; last: Timed }> {
  const names = targets.map((t) => t.name).join(',');
  const fresh = async () => {
    const dir = join(base, `data-${(dataDirs += 1)}`);
    await addTargets(dir, targets);
    return dir;
  };
  await timedDeploy(await fresh(), src, names);
  const times: number[] = [];
  let last: Timed | undefined;
  for (let i = 0; i < REPS; i += 1) {
    last = await timedDeploy(await fresh(), src, names);
    times.push(last.seconds);
  }
  if (last === undefined) throw new Error('BENCH_REPS must be at least 1');
  return { times, last };
}

/** Where one target's time went: before the first step, each step, after the last. */
function breakdown(t: Timed, target: string): Record<string, number> {
  const own = t.marks.filter((m) => m.target === target);
  const out: Record<string, number> = {};
  const first = own[0];
  if (first === undefined) return out;
  out['(start: store, probe, plan, lock)'] = Math.round(first.at);
  let open: { step: string; at: number } | undefined;
  let lastAt = first.at;
  for (const m of own) {
    if (m.status === 'running') open = { step: m.step, at: m.at };
    else if (open !== undefined && m.step === open.step) {
      out[m.step] = Math.round(m.at - open.at);
      open = undefined;
    }
    lastAt = m.at;
  }
  out['(end: after last step)'] = Math.round(t.seconds * 1000 - lastAt);
  return out;
}

// ---------------------------------------------------------------- main

try {
  sshds.push(...(await Promise.all([startSshd(), startSshd(), startSshd(), startSshd()])));
  const target = async (name: string, sshd: Sshd, rootName: string): Promise<Target> => {
    const key = join(base, `${name}-${sshd.port}.key`);
    await writeFile(key, sshd.privateKey, { mode: 0o600 });
    const root = join(base, rootName);
    await mkdir(root, { recursive: true });
    roots.add(root);
    return { name, sshd, key, root };
  };
  const [s1, s2, s3, s4] = sshds as [Sshd, Sshd, Sshd, Sshd];

  // 1. Floor.
  const floorTarget = await target('web1', s1, 'floor-apps');
  const floorSrc = await nodeApp('floor', await freePort());
  const floorPort = Number(/port: (\d+)/.exec(await readFile(join(floorSrc, 'ai-module.yaml'), 'utf8'))?.[1]);
  await floorRun(s1, floorTarget.key, floorSrc, floorTarget.root, floorPort, 0);
  const floor: number[] = [];
  for (let i = 1; i <= REPS; i += 1)
    floor.push(await floorRun(s1, floorTarget.key, floorSrc, floorTarget.root, floorPort, i));
  console.error(`floor: ${floor.map((s) => s.toFixed(2)).join(' ')} s`);

  // 1b. The floor on four hosts at once: how far this machine lets four deploys overlap at all
  // (the four "hosts" share its CPUs), the yardstick for Automatos' own 4-vs-1 ratio below.
  const floorFleet = await Promise.all(
    [s1, s2, s3, s4].map(async (sshd, i) => ({
      t: await target(`f${i + 1}`, sshd, `floor4-apps-${i + 1}`),
      src: await nodeApp(`floor4-${i + 1}`, await freePort()),
    })),
  );
  const floorPorts = await Promise.all(
    floorFleet.map(async (f) =>
      Number(/port: (\d+)/.exec(await readFile(join(f.src, 'ai-module.yaml'), 'utf8'))?.[1]),
    ),
  );
  const floorFour = async (n: number) => {
    const started = performance.now();
    await Promise.all(
      floorFleet.map((f, i) =>
        floorRun(f.t.sshd, f.t.key, f.src, f.t.root, floorPorts[i] ?? 0, 100 * (i + 1) + n),
      ),
    );
    return (performance.now() - started) / 1000;
  };
  await floorFour(0);
  const floor4: number[] = [];
  for (let i = 1; i <= REPS; i += 1) floor4.push(await floorFour(i));
  console.error(`floor, 4 hosts at once: ${floor4.map((s) => s.toFixed(2)).join(' ')} s`);

  // 2. Automatos, the Node example as shipped (port changed only), and with interval 1 for diagnosis.
  const auto = await automatosPath(await nodeApp('auto', await freePort()), [
    await target('web1', s1, 'auto-apps'),
  ]);
  console.error(`automatos: ${auto.times.map((s) => s.toFixed(2)).join(' ')} s`);
  const autoI1 = await automatosPath(await nodeApp('auto-i1', await freePort(), 1), [
    await target('web1', s1, 'auto-i1-apps'),
  ]);
  console.error(`automatos (interval 1): ${autoI1.times.map((s) => s.toFixed(2)).join(' ')} s`);

  // 3. A port-less job: 1 target vs 4 targets (four sshd, four roots). Warm up all four first.
  const fleet = [
    await target('t1', s1, 'job-t1'),
    await target('t2', s2, 'job-t2'),
    await target('t3', s3, 'job-t3'),
    await target('t4', s4, 'job-t4'),
  ];
  const job = await jobApp();
  await automatosPath(job, fleet);
  const one = await automatosPath(job, fleet.slice(0, 1));
  console.error(`job, 1 target: ${one.times.map((s) => s.toFixed(2)).join(' ')} s`);
  const four = await automatosPath(job, fleet);
  console.error(`job, 4 targets: ${four.times.map((s) => s.toFixed(2)).join(' ')} s`);

  const f = median(floor);
  const a = median(auto.times);
  const a1 = median(autoI1.times);
  const j1 = median(one.times);
  const j4 = median(four.times);
  const row = (path: string, runs: number[], ratio: number | null, goal: string) => ({
    path,
    'median s': Number(median(runs).toFixed(2)),
    runs: runs.map((s) => s.toFixed(2)).join(' '),
    ratio: ratio === null ? '' : Number(ratio.toFixed(2)),
    goal,
  });
  console.table([
    row('node-http: bash + one ssh ControlMaster (floor)', floor, null, ''),
    row('node-http: the floor on 4 hosts at once', floor4, median(floor4) / f, 'what this machine allows'),
    row('node-http: automatos deploy --target web1', auto.times, a / f, 'Automatos / script <= 1.3'),
    row('  (diagnostic) same, health interval 1 s', autoI1.times, a1 / f, ''),
    row('job (command check): automatos, 1 target', one.times, null, ''),
    row('job (command check): automatos, 4 targets', four.times, j4 / j1, '4 targets / 1 <= 1.5'),
  ]);
  console.log(
    `${REPS} timed redeploys per path after one warm-up, each on a fresh data dir; ${availableParallelism()} CPUs`,
  );
  console.log('Where one redeploy went (ms, last run; [t1] for the job rows):');
  console.table({
    'node-http, as shipped': breakdown(auto.last, 'web1'),
    'node-http, interval 1': breakdown(autoI1.last, 'web1'),
    'job, 1 target': breakdown(one.last, 't1'),
    'job, 4 targets': breakdown(four.last, 't1'),
  });
  if (process.env['BENCH_VERBOSE'] === '1') {
    for (const [label, t] of [
      ['node-http, as shipped', auto.last],
      ['node-http, interval 1', autoI1.last],
      ['job, 4 targets', four.last],
    ] as const) {
      console.log(`--- ${label}: release/verify log, last run`);
      console.log(
        `${t.stderr}${t.stdout}`
          .split('\n')
          .filter((l) => /\] (release|verify)/.test(l))
          .join('\n'),
      );
    }
  }
  console.log(
    `sshd connections accepted (all paths): ${sshds.map((s) => s.acceptedConnections()).join(', ')}`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(deadline);
}
