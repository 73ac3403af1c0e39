// Confinement by effect (issue 11, "Tests and numbers"): an adversarial corpus of commands with
// harmless payloads, each aimed at a canary this test planted (a marker outside the writable roots,
// a hidden secret, a process the command did not start), run for real through `exec` on `local`
// and on an sshd target. The control runs each unconfined under the audit profile and shows the
// probe does what it says; the confined run (the default: sandbox on, standard profile) must leave
// 0 effects. A verdict is not enough: what counts is what happened on the host.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomatosError } from '../../src/core/index.js';
import { cliActor, localTargetFacts, Orchestrator } from '../../src/engine/index.js';
import { execSandbox } from '../../src/plan/index.js';
import { DEFAULT_WRITABLE_ROOTS } from '../../src/policy/index.js';
import { runCli } from '../cli/run-cli.js';
import { startSshd, type Sshd } from '../harness/sshd.js';
import { startApi, type Api } from '../server/harness.js';
import { CORPUS, type Probe } from './confinement/corpus.js';
import { World, type Effect, type Side } from './confinement/world.js';
import { registerTarget } from './register-target.js';

const CONCURRENCY = 4;
const PROBE_TIMEOUT_SEC = 20;

interface Outcome {
  status: 'ran' | 'denied' | 'error';
  rule?: string;
  exitCode?: number | null;
  timedOut?: boolean;
  output: string;
}

interface ProbeResult {
  probe: Probe;
  command: string;
  outcome: Outcome;
  effects: Effect[];
}

type Exec = (command: string) => Promise<Outcome>;

let world: World;
let sshd: Sshd;
let localControl: Orchestrator;
const SIDE = (name: string): Side => world.sides.find((s) => s.name === name) as Side;

/** The environment of a CLI run: no remote mode, no sandbox or policy setting of this machine. */
const UNSET = new Set([
  'AUTOMATOS_URL',
  'AUTOMATOS_API_KEY',
  'AUTOMATOS_LOCAL_SANDBOX',
  'AUTOMATOS_POLICY_FILE',
]);
function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UNSET.has(name)));
  return { ...env, ...extra };
}

/**
 * `automatos exec --target T --json -- CMD`: exit 3 is a policy denial, JSON on stdout a run.
 *
 * The CLI runs in this process, several at once: better-sqlite3 waits for a lock synchronously, so
 * two CLIs opening the store at the same instant can block each other's migration check until the
 * busy timeout ("database is locked", a transient AUT_STORE error). Separate processes do not;
 * such a refusal ran nothing, and the probe is sent again.
 */
const cliExec =
  (target: string): Exec =>
  async (command) => {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await cliExecOnce(target, command);
      if (outcome.status !== 'error' || !/database is locked/.test(outcome.output) || attempt === 3) {
        return outcome;
      }
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    }
  };

async function cliExecOnce(target: string, command: string): Promise<Outcome> {
  const r = await runCli(
    [
      '--data-dir',
      world.dataDir,
      'exec',
      '--target',
      target,
      '--json',
      '--timeout',
      String(PROBE_TIMEOUT_SEC),
      '--',
      command,
    ],
    { env: cliEnv() },
  );
  if (r.code === 3 && /denied/.test(r.stderr)) {
    return {
      status: 'denied',
      rule: /policy rule (\S+?):/.exec(r.stderr)?.[1] ?? 'unknown',
      output: r.stderr,
    };
  }
  try {
    const json = JSON.parse(r.stdout) as {
      exit_code: number | null;
      timed_out: boolean;
      stdout: string;
      stderr: string;
    };
    return {
      status: 'ran',
      exitCode: json.exit_code,
      timedOut: json.timed_out,
      output: `${json.stdout}\n${json.stderr}`,
    };
  } catch {
    return { status: 'error', exitCode: r.code, output: `${r.stdout}\n${r.stderr}` };
  }
}

/**
 * The control on `local`: the same guarded executor and launcher with `AUTOMATOS_LOCAL_SANDBOX=off`,
 * under the audit profile. `exec` cannot loosen local's profile (a policy file's `profile: audit`
 * does not reach it: the target's `standard` wins), so the control calls the guard exec uses.
 */
const localControlExec: Exec = async (command) => {
  const target = await localControl.target('local');
  try {
    const result = await localControl.guard.run(
      { ...target, profile: 'audit' },
      command,
      { cwd: '/', timeoutMs: PROBE_TIMEOUT_SEC * 1000, sandbox: execSandbox(DEFAULT_WRITABLE_ROOTS) },
      cliActor(),
    );
    return {
      status: 'ran',
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      output: `${result.stdoutTail}\n${result.stderrTail}`,
    };
  } catch (error) {
    if (error instanceof AutomatosError && error.code === 'AUT_POLICY_DENIED') {
      return { status: 'denied', rule: String(error.details?.['rule'] ?? 'unknown'), output: error.message };
    }
    return { status: 'error', output: String(error) };
  }
};

/** A program on the usual PATH, or an absolute path this process can list. */
function available(need: string): boolean {
  if (!need.startsWith('/')) {
    return ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'].some((dir) =>
      existsSync(join(dir, need)),
    );
  }
  try {
    readdirSync(need);
    return true;
  } catch {
    return false;
  }
}

/** Runs the corpus once: a pool of CONCURRENCY workers, each probe with its own fresh canaries. */
async function runCorpus(run: string, side: Side, exec: Exec, control: boolean): Promise<ProbeResult[]> {
  const queue = CORPUS.filter((p) => !(control && p.control?.expect === 'skip'));
  const results: ProbeResult[] = [];
  const worker = async (): Promise<void> => {
    for (let probe = queue.shift(); probe !== undefined; probe = queue.shift()) {
      const prepared = world.prepare(probe, run, side);
      try {
        const outcome = await exec(prepared.command);
        if (probe.settleMs !== undefined) await new Promise((r) => setTimeout(r, probe.settleMs));
        // A signal or a write lands before the command returns; give the kernel a moment anyway.
        else await new Promise((r) => setTimeout(r, 20));
        results.push({
          probe,
          command: prepared.command,
          outcome,
          effects: prepared.effects(outcome.output),
        });
      } finally {
        prepared.dispose();
      }
    }
  };
  // Staggered starts: the workers' first CLIs do not open the store at the same instant.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 250));
      await worker();
    }),
  );
  return results;
}

/** Control: every probe shows the effect of its class, except those listed with a reason. */
function controlProblems(results: readonly ProbeResult[]): string[] {
  return results.flatMap(({ probe, outcome, effects }) => {
    const ofClass = effects.filter((e) => e.kind === probe.class);
    const missing = (probe.needs ?? []).filter((p) => !available(p));
    const expectNone = probe.control?.expect === 'none' || missing.length > 0;
    if (outcome.status !== 'ran')
      return [`${probe.id}: ${outcome.status} in the control: ${outcome.output.trim()}`];
    if (expectNone && ofClass.length > 0)
      return [`${probe.id}: expected no effect, got ${ofClass.map((e) => e.detail).join('; ')}`];
    if (!expectNone && ofClass.length === 0) {
      return [
        `${probe.id}: no ${probe.class} effect (exit ${outcome.exitCode}): ${outcome.output.trim().slice(0, 300)}`,
      ];
    }
    return [];
  });
}

function summary(label: string, control: readonly ProbeResult[], confined: readonly ProbeResult[]): string {
  const expected = control.filter(
    (r) => r.probe.control?.expect !== 'none' && (r.probe.needs ?? []).every((p) => available(p)),
  );
  const shown = expected.filter((r) => r.effects.some((e) => e.kind === r.probe.class)).length;
  const effects = confined.filter((r) => r.effects.length > 0).length;
  const denied = confined.filter((r) => r.outcome.status === 'denied').length;
  const stopped = confined.filter((r) => r.outcome.status === 'ran' && r.effects.length === 0).length;
  return (
    `confinement corpus (${label}): ${confined.length} probes, control effects ${shown}/${expected.length}` +
    ` (${control.length - expected.length} without a possible effect here, ${CORPUS.length - control.length} not run unconfined),` +
    ` confined effects ${effects}, denied by policy ${denied}, stopped by sandbox ${stopped}`
  );
}

beforeAll(async () => {
  world = new World((base) => [
    { name: 'local', approot: localTargetFacts().root },
    { name: 'sshd', approot: join(base, 'apps') },
  ]);
  sshd = await startSshd();
  const keyDir = join(world.base, 'keys');
  mkdirSync(keyDir);
  const add = async (name: string, extra: string[]) => {
    const r = await registerTarget({
      dataDir: world.dataDir,
      name,
      sshd,
      root: SIDE('sshd').approot,
      keyDir,
      extra,
      env: cliEnv(),
    });
    expect(r.stderr).toBe('');
  };
  await add('fx-ctl', ['--sandbox', 'off', '--policy', 'audit']);
  await add('fx-real', []);
  mkdirSync(SIDE('sshd').approot, { recursive: true });
  world.plantSecrets();
  localControl = await Orchestrator.open({
    dataDir: world.dataDir,
    env: cliEnv({ AUTOMATOS_LOCAL_SANDBOX: 'off' }),
  });
}, 60_000);

afterAll(async () => {
  await localControl?.close();
  await sshd?.stop();
  world?.cleanup();
});

describe('the adversarial corpus', () => {
  it('has at least 150 probes in each effect class combined, ids unique', () => {
    const ids = new Set(CORPUS.map((p) => p.id));
    expect(ids.size).toBe(CORPUS.length);
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    for (const cls of ['write', 'secret', 'kill'] as const) {
      expect(CORPUS.filter((p) => p.class === cls).length).toBeGreaterThanOrEqual(30);
    }
  });
});

describe.each([
  { side: 'local', control: () => localControlExec, confined: () => cliExec('local') },
  { side: 'sshd', control: () => cliExec('fx-ctl'), confined: () => cliExec('fx-real') },
])('exec on $side', ({ side, control, confined }) => {
  let controlResults: ProbeResult[] = [];

  it(
    'control: unconfined under the audit profile, every probe produces its effect',
    { timeout: 180_000 },
    async () => {
      controlResults = await runCorpus(`c${side}`, SIDE(side), control(), true);
      expect(controlResults.length).toBe(CORPUS.filter((p) => p.control?.expect !== 'skip').length);
      expect(controlProblems(controlResults)).toEqual([]);
    },
  );

  it(
    'confined: the default target (sandbox on, standard profile) leaves 0 effects',
    { timeout: 180_000 },
    async () => {
      const results = await runCorpus(`r${side}`, SIDE(side), confined(), false);
      console.log(summary(side, controlResults, results));
      const byRule = new Map<string, number>();
      for (const r of results)
        if (r.outcome.rule) byRule.set(r.outcome.rule, (byRule.get(r.outcome.rule) ?? 0) + 1);
      console.log(`  denials by rule: ${[...byRule].map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
      const effects = results
        .filter((r) => r.effects.length > 0)
        .map(
          (r) =>
            `${r.probe.id} (${r.outcome.status}${r.outcome.rule ? ` ${r.outcome.rule}` : ''}): ${r.effects.map((e) => e.detail).join('; ')}`,
        );
      const errors = results
        .filter((r) => r.outcome.status === 'error')
        .map((r) => `${r.probe.id}: ${r.outcome.output.trim().slice(0, 300)}`);
      expect(results.length).toBe(CORPUS.length);
      expect(effects).toEqual([]);
      expect(errors).toEqual([]);
    },
  );
});

describe('POST /execute at the edges of the parser', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ dataDir: join(world.base, 'api-data') });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('~1000 nested $( is a 403 too_complex with an audit record, never a 500, and nothing runs', async () => {
    const marker = join(world.base, 'out', 'api-nested');
    const depth = 1000;
    const command = `${'echo $('.repeat(depth)}touch ${marker}${')'.repeat(depth)}`;
    const res = await api.call('POST', '/execute', { body: { target: 'local', command } });
    const body = (await res.json()) as { error?: { code: string; details?: { rule?: string } } };
    expect(res.status).toBe(403);
    expect(body.error?.details?.rule).toBe('too_complex');
    const [last] = await api.orch.audit.list({ limit: 1 });
    expect(last).toMatchObject({ action: 'exec', decision: 'deny', rule: 'too_complex', target: 'local' });
    expect(existsSync(marker)).toBe(false);
  });

  it('a NUL byte in the command is a 400 and nothing runs', async () => {
    const marker = join(world.base, 'out', 'api-nul');
    const res = await api.call('POST', '/execute', {
      body: { target: 'local', command: `touch ${marker}\u0000` },
    });
    expect(res.status).toBe(400);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('deploy: a repository symlink out of the release dir', () => {
  /** A repository whose `data` links to a canary dir outside every root; the build writes data/x. */
  function symlinkRepo(name: string, canary: string): string {
    const dir = join(world.base, 'repos', name);
    mkdirSync(dir, { recursive: true });
    mkdirSync(canary, { recursive: true });
    writeFileSync(
      join(dir, 'ai-module.yaml'),
      [
        `name: ${name}`,
        'version: 1.0.0',
        'description: writes through a symlink at build time',
        'module_type: automation',
        'build_command: echo fx > data/x',
        // The control must not leave a running app behind: it stops after the build.
        'test_command: "false"',
        'start_command: sleep 100000',
        '',
      ].join('\n'),
    );
    symlinkSync(canary, join(dir, 'data'));
    return dir;
  }

  const deploy = (dir: string, target: string, env: NodeJS.ProcessEnv = cliEnv()) =>
    runCli(['--data-dir', world.dataDir, 'deploy', dir, '--target', target], { env });

  it.each([
    { side: 'local', control: 'local', confined: 'local', controlEnv: { AUTOMATOS_LOCAL_SANDBOX: 'off' } },
    { side: 'sshd', control: 'fx-ctl', confined: 'fx-real', controlEnv: {} },
  ])(
    'on $side: unconfined the build writes through the link; confined no file appears outside',
    { timeout: 120_000 },
    async ({ side, control, confined, controlEnv }) => {
      const name = `fx-link-${side}-${world.r}`;
      world.own(join(SIDE(side).approot, name));
      const controlDir = join(world.base, 'out', `deploy-${side}-control`);
      const ctl = await deploy(symlinkRepo(`${name}`, controlDir), control, cliEnv(controlEnv));
      expect(ctl.stdout).toContain('test failed');
      expect(readdirSync(controlDir)).toEqual(['x']);

      const confinedDir = join(world.base, 'out', `deploy-${side}-confined`);
      const real = await deploy(symlinkRepo(`${name}-c`, confinedDir), confined);
      world.own(join(SIDE(side).approot, `${name}-c`));
      expect(real.code).not.toBe(0);
      expect(`${real.stdout}${real.stderr}`).toMatch(/build/);
      expect(readdirSync(confinedDir)).toEqual([]);
    },
  );
});
