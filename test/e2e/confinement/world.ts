// The canaries of the confinement corpus: a marker tree outside every writable root, canary files in
// /etc, secrets where the sandbox must hide them, and `sleep 600` processes it must not reach. Each
// probe gets its own fresh copy per run, and the world tells which effects a run left behind.
// Everything it creates it removes; every process it starts it kills.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expand, type EffectClass, type Probe, type SecretKind, type Vars } from './corpus.js';

export interface Effect {
  kind: EffectClass;
  detail: string;
}

export interface Secret {
  path: string;
  canary: string;
}

/** One target's view of the world: its deploy root holds its own other-app env file. */
export interface Side {
  name: string;
  approot: string;
}

export interface ProbeRun {
  command: string;
  vars: Vars;
  /** The effects the command left, given its output. */
  effects(output: string): Effect[];
  dispose(): void;
}

const sleepBinary = ['/usr/bin/sleep', '/bin/sleep'].find((path) => existsSync(path)) ?? 'sleep';

/** `/srv/x/y` → `/s?v/x/y`: a glob that matches the path and reads as another. */
function globOf(path: string): string {
  const [first = '', ...rest] = path.split('/').slice(1);
  const name = rest.pop() ?? '';
  const head = first.length > 1 ? `${first[0]}?${first.slice(2)}` : first;
  const tail = name.length > 1 ? `${name.slice(0, -1)}[${name.slice(-1)}]` : name;
  return `/${[head, ...rest, tail].join('/')}`;
}

/** The forms in which a leaked canary may show: as typed, upper case, reversed, base64, hex. */
function leakForms(canary: string): string[] {
  return [
    canary,
    canary.toUpperCase(),
    [...canary].reverse().join(''),
    Buffer.from(canary.slice(0, 24)).toString('base64'),
    Buffer.from(canary.slice(0, 16)).toString('hex'),
  ];
}

function signature(path: string): string {
  const st = lstatSync(path);
  const head = `${st.mode.toString(8)}:${st.uid}:${st.gid}:${st.size}:${Math.round(st.mtimeMs)}`;
  if (st.isSymbolicLink()) return `${head}:->${readlinkSync(path)}`;
  if (st.isFile()) return `${head}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  return head;
}

/** Every entry under the paths, with mode, owner, size, time and content. */
function snapshot(paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (path: string): void => {
    let sig: string;
    try {
      sig = signature(path);
    } catch {
      return;
    }
    out.set(path, sig);
    if (lstatSync(path).isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    }
  };
  for (const path of paths) walk(path);
  return out;
}

function diff(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [path, sig] of after) {
    if (!before.has(path)) changes.push(`created ${path}`);
    else if (before.get(path) !== sig) changes.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push(`removed ${path}`);
  return changes;
}

/** Mount points at or below any of the paths, from this process's mount table. */
export function mountsUnder(paths: readonly string[]): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((mp) => mp !== '' && paths.some((p) => mp === p || mp.startsWith(`${p}/`)));
}

/** State letter and nice value of a live process, or null once it is gone (or a zombie). */
function processState(pid: number): { state: string; nice: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0] ?? '?';
    if (state === 'Z' || state === 'X') return null;
    return { state, nice: Number(fields[16]) };
  } catch {
    return null;
  }
}

/** The placeholders a probe's command uses (a function is asked with a recording object). */
function placeholdersOf(probe: Probe): Set<string> {
  const used = new Set<string>();
  if (typeof probe.command === 'string') {
    for (const match of probe.command.matchAll(/@([A-Z]+)@/g)) used.add(match[1] ?? '');
  } else {
    const recorder = new Proxy({} as Vars, {
      get: (_target, key) => {
        used.add(String(key));
        return `@${String(key)}@`;
      },
    });
    probe.command(recorder);
  }
  return used;
}

const tag = (): string => randomBytes(3).toString('hex');

export class World {
  readonly r = tag();
  readonly base = `/srv/automatos-fx-${this.r}`;
  readonly dataDir = join(this.base, 'home');
  readonly secrets = new Map<string, Secret>();
  readonly environCanary = `fxcenviron${randomBytes(10).toString('hex')}`;
  private readonly created: string[] = [];
  private readonly processes = new Set<ChildProcess>();
  private readonly owned: string[] = [];
  private serial = 0;

  readonly sides: readonly Side[];

  /** `sides(base)`: each target's deploy root (one may lie inside this world's base). */
  constructor(sides: (base: string) => Side[]) {
    this.sides = sides(this.base);
    mkdirSync(join(this.base, 'out'), { recursive: true });
    mkdirSync(join(this.base, 'bin'), { recursive: true });
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
  }

  /** Plants the canary secrets. Call once the data dir holds its master key. */
  plantSecrets(): void {
    const fresh = (kind: string): string => `fxc${kind}${randomBytes(12).toString('hex')}`;
    const plant = (key: string, path: string, canary: string, content = `${canary}\n`): void => {
      this.mkdirOwned(dirname(path), 0o700);
      writeFileSync(path, content, { mode: 0o600 });
      this.created.push(path);
      this.secrets.set(key, { path, canary });
    };
    plant('data', join(this.dataDir, 'automatos-fx-canary.key'), fresh('data'));
    const masterKey = join(this.dataDir, 'master.key');
    this.secrets.set('mkey', { path: masterKey, canary: readFileSync(masterKey, 'utf8').trim() });
    plant('root', `/root/.ssh/automatos-fx-canary-${this.r}`, fresh('root'));
    plant('home', `/home/automatos-fx-${this.r}/.ssh/automatos-fx-canary`, fresh('home'));
    plant('ssl', `/etc/ssl/private/automatos-fx-canary-${this.r}.key`, fresh('ssl'));
    plant('hostkey', `/etc/ssh/ssh_host_fx${this.r}_key`, fresh('hostkey'));
    plant('cloud', `/home/automatos-fx-${this.r}/.aws/credentials`, fresh('cloud'));
    plant(
      'caddy',
      `/var/lib/caddy/.local/share/caddy/certificates/automatos-fx-${this.r}/fx.key`,
      fresh('caddy'),
    );
    const env = fresh('env');
    for (const side of this.sides) {
      const path = join(side.approot, `automatos-fx-other-${this.r}`, 'shared', '.env');
      plant(`env:${side.name}`, path, env, `FX_VALUE=${env}\n`);
    }
  }

  private secret(kind: SecretKind, side: Side): Secret {
    if (kind === 'environ') return { path: '/proc/@PID@/environ', canary: this.environCanary };
    const found = this.secrets.get(kind === 'env' ? `env:${side.name}` : kind);
    if (found === undefined) throw new Error(`no canary secret ${kind}; plantSecrets() first`);
    return found;
  }

  /** Every canary string the world planted: none of them may show anywhere. */
  private canaries(): string[] {
    return [...[...this.secrets.values()].map((s) => s.canary), this.environCanary];
  }

  /** mkdir -p that remembers the directories it made (removed again by cleanup). */
  private mkdirOwned(path: string, mode = 0o755): void {
    const missing: string[] = [];
    for (let p = path; !existsSync(p); p = dirname(p)) missing.unshift(p);
    for (const p of missing) {
      mkdirSync(p, { mode });
      this.created.push(p);
    }
  }

  private startCanary(cwd: string, sleep: boolean): { child: ChildProcess; name: string } {
    this.serial += 1;
    const name = sleep ? 'sleep' : `fxk${this.r.slice(0, 4)}${this.serial}`;
    const binary = sleep ? sleepBinary : join(this.base, 'bin', name);
    if (!sleep) symlinkSync(sleepBinary, binary);
    const stdout = openSync(join(cwd, 'canary.out'), 'a');
    const child = spawn(binary, ['600'], {
      cwd,
      detached: true,
      stdio: ['ignore', stdout, 'ignore'],
      env: { FXENV: this.environCanary },
    });
    closeSync(stdout);
    child.on('error', () => undefined);
    this.processes.add(child);
    writeFileSync(join(cwd, 'canary.pid'), `${child.pid ?? ''}\n`);
    return { child, name };
  }

  /** A fresh set of canaries for one probe in one run (`run` names the run: control-local, …). */
  prepare(probe: Probe, run: string, side: Side): ProbeRun {
    const used = placeholdersOf(probe);
    const uses = (name: string): boolean => used.has(name);
    const out = join(this.base, 'out', run, probe.id);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'victim'), 'victim\n', { mode: 0o644 });
    const etc = `/etc/automatos-fx-${this.r}-${run}-${probe.id}`;
    const datafx = join(this.dataDir, `automatos-fx-${run}-${probe.id}`);
    const appw = join(side.approot, `automatos-fx-w-${this.r}`, `${run}-${probe.id}`);
    const watched = [out];
    if (uses('ETC') || uses('ETCG')) {
      writeFileSync(etc, 'fx\n', { mode: 0o644 });
      watched.push(etc);
    }
    if (uses('DATAFX')) {
      mkdirSync(datafx, { recursive: true });
      watched.push(datafx);
    }
    if (uses('APPW')) {
      this.mkdirOwned(dirname(appw));
      mkdirSync(appw, { recursive: true });
      watched.push(appw);
    }
    const needsProcess = probe.class === 'kill' || uses('PID') || uses('PNAME') || probe.secret === 'environ';
    const canary = needsProcess ? this.startCanary(out, probe.sleepCanary === true) : undefined;
    const pid = String(canary?.child.pid ?? '');
    const secret = probe.secret === undefined ? undefined : this.secret(probe.secret, side);
    const secretPath = secret?.path.replace('@PID@', pid) ?? '';
    const vars: Vars = {
      OUT: out,
      OUTG: globOf(out),
      OUTREL: out.slice(1),
      OUTTAIL: out.replace(/^\/srv/, ''),
      M: join(out, 'm'),
      V: join(out, 'victim'),
      ETC: etc,
      ETCG: globOf(etc),
      DATAFX: datafx,
      APPW: appw,
      TMP: `/tmp/automatos-fx-${this.r}-${run}-${probe.id}`,
      S: secretPath,
      SD: dirname(secretPath),
      SDN: basename(dirname(secretPath)),
      SN: basename(secretPath),
      SG: globOf(secretPath),
      SREL: secretPath.slice(1),
      DATA: this.dataDir,
      APPROOT: side.approot,
      PID: pid,
      PNAME: canary?.name ?? '',
      R: this.r,
    };
    const before = snapshot(watched);
    const started = canary === undefined ? null : processState(canary.child.pid ?? -1);
    return {
      command: expand(probe, vars),
      vars,
      effects: (output) => {
        const effects: Effect[] = [];
        for (const change of diff(before, snapshot(watched))) effects.push({ kind: 'write', detail: change });
        for (const mp of mountsUnder(watched)) effects.push({ kind: 'write', detail: `mounted ${mp}` });
        const files = [...snapshot(watched).keys()].filter((p) => {
          try {
            return lstatSync(p).isFile() && lstatSync(p).size < 1_000_000;
          } catch {
            return false;
          }
        });
        const texts = [output, output.replace(/\s+/g, ''), ...files.map((p) => readFileSync(p, 'latin1'))];
        for (const canaryText of this.canaries()) {
          if (leakForms(canaryText).some((form) => texts.some((t) => t.includes(form)))) {
            const owner =
              [...this.secrets.entries()].find(([, s]) => s.canary === canaryText)?.[0] ?? 'environ';
            effects.push({ kind: 'secret', detail: `canary of ${owner} leaked` });
          }
        }
        if (canary !== undefined) {
          const now = processState(canary.child.pid ?? -1);
          if (now === null) effects.push({ kind: 'kill', detail: `canary ${pid} is gone` });
          else if (now.state === 'T' || now.state === 't')
            effects.push({ kind: 'kill', detail: `canary ${pid} stopped` });
          else if (started !== null && now.nice !== started.nice)
            effects.push({ kind: 'kill', detail: `canary ${pid} reniced to ${now.nice}` });
        }
        return effects;
      },
      dispose: () => {
        if (canary !== undefined) this.kill(canary.child);
      },
    };
  }

  private kill(child: ChildProcess): void {
    try {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.processes.delete(child);
  }

  /** Kills every canary, unmounts what a control mounted, removes every file and directory it made. */
  cleanup(): void {
    for (const child of [...this.processes]) this.kill(child);
    const etcPrefix = `automatos-fx-${this.r}-`;
    const roots = [
      this.base,
      ...readdirSync('/etc')
        .filter((n) => n.startsWith(etcPrefix))
        .map((n) => `/etc/${n}`),
    ];
    for (const side of this.sides) roots.push(join(side.approot, `automatos-fx-w-${this.r}`));
    for (const mp of mountsUnder(roots).reverse()) spawnSync('umount', ['-l', mp]);
    for (const path of [...roots, ...this.owned]) rmSync(path, { recursive: true, force: true });
    for (const name of readdirSync('/tmp').filter((n) => n.startsWith(`automatos-fx-${this.r}-`))) {
      rmSync(join('/tmp', name), { recursive: true, force: true });
    }
    // Only what this world made, deepest first; a directory someone else filled meanwhile stays.
    for (const path of [...this.created].reverse()) {
      try {
        if (lstatSync(path).isDirectory()) rmdirSync(path);
        else rmSync(path, { force: true });
      } catch {
        // gone already, or no longer empty
      }
    }
  }

  /** A path some test made outside the base (a deploy's app dir): removed by cleanup. */
  own(path: string): void {
    this.owned.push(path);
  }
}
