import { posix } from 'node:path';
import { shellQuote } from '../plan/index.js';
import type { SandboxReport } from '../sandbox/index.js';
import type { PackageManager, TargetFacts } from '../plan/index.js';
import type { Actor } from '../exec/index.js';
import { LOCAL_TARGET, localFacts } from './local-target.js';
import type { Orchestrator, ResolveOptions } from './orchestrator.js';

export interface TargetReport {
  target: string;
  /** Wall time of `true` through the guard on an open connection, in milliseconds. */
  latencyMs: number;
  /** The first command, including connection setup (TCP, key exchange, auth) and policy warm-up. */
  firstCommandMs: number;
  kernel: string;
  os: string;
  user: string;
  systemd: boolean;
  docker: boolean;
  packageManager: PackageManager | null;
  root: string;
  rootWritable: boolean;
  /** Whether user commands can run here, confined (or unconfined by the target's policy), and why not. */
  sandbox: SandboxReport;
}

/** Where apps live on a target with no `--root`: the same rule the planner's layout follows. */
export const defaultRoot = (user: string, home: string): string =>
  user === 'root' ? '/opt/automatos/apps' : posix.join(home, '.automatos', 'apps');

function factsScript(root: string): string {
  return [
    'echo "kernel=$(uname -srm)"',
    'echo "user=$(id -un)"',
    'if [ -r /etc/os-release ]; then . /etc/os-release; echo "os=$PRETTY_NAME"; fi',
    'if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi',
    'if command -v docker >/dev/null 2>&1; then echo docker=yes; else echo docker=no; fi',
    'for pm in apt-get dnf apk; do if command -v "$pm" >/dev/null 2>&1; then echo "pm=$pm"; break; fi; done',
    `if mkdir -p ${shellQuote(root)} && [ -w ${shellQuote(root)} ]; then echo root=writable; else echo root=readonly; fi`,
  ].join('; ');
}

function parseFacts(stdout: string): Map<string, string> {
  const facts = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !facts.has(line.slice(0, at))) facts.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return facts;
}

const PACKAGE_MANAGERS: Record<string, PackageManager> = { 'apt-get': 'apt', dnf: 'dnf', apk: 'apk' };

/** Connects through the guard (so the probe is policy-checked and audited) and reads the host's facts. */
export async function probeTarget(
  orch: Orchestrator,
  name: string,
  actor: Actor,
  options: ResolveOptions = {},
): Promise<TargetReport> {
  const target = await orch.target(name, options);
  const stored = name === 'local' ? null : await orch.store.targets.get(name);
  const root =
    stored?.root ?? defaultRoot(stored?.user ?? (process.getuid?.() === 0 ? 'root' : ''), target.home);
  const timed = async (): Promise<number> => {
    const started = performance.now();
    await orch.guard.run(target, 'true', { cwd: '/' }, actor);
    return Math.round((performance.now() - started) * 10) / 10;
  };
  const firstCommandMs = await timed();
  const latencyMs = await timed();
  const result = await orch.guard.run(target, factsScript(root), { cwd: '/', timeoutMs: 30_000 }, actor);
  const facts = parseFacts(result.stdoutTail);
  const sandbox = (await orch.guard.sandboxReport(target, actor, true)).report;
  return {
    target: name,
    latencyMs,
    firstCommandMs,
    kernel: facts.get('kernel') ?? 'unknown',
    os: facts.get('os') ?? 'unknown',
    user: facts.get('user') ?? 'unknown',
    systemd: facts.get('systemd') === 'yes',
    docker: facts.get('docker') === 'yes',
    packageManager: PACKAGE_MANAGERS[facts.get('pm') ?? ''] ?? null,
    root,
    rootWritable: facts.get('root') === 'writable',
    sandbox,
  };
}

/** What the planner needs to know about a target, from what the probe saw. */
export function factsFromReport(report: TargetReport): TargetFacts {
  return {
    name: report.target,
    root: report.root,
    user: report.user,
    isRoot: report.user === 'root',
    hasSystemd: report.systemd,
    packageManager: report.packageManager,
    reach: report.target === 'local' ? 'local' : 'ssh-forward',
    // The sandbox probe already asked the host for bubblewrap and bash.
    shell: report.sandbox.bash ? 'bash' : 'sh',
    missingSandboxPackages: [
      ...(report.sandbox.bwrap ? [] : ['bubblewrap']),
      ...(report.sandbox.bash ? [] : ['bash']),
    ],
  };
}

/**
 * What the planner needs to know about a target: `local`'s from this machine, an SSH target's from a
 * read-only probe through the guard; with the target's sandbox mode and the paths every sandbox there
 * masks.
 */
export async function targetFacts(
  orch: Orchestrator,
  name: string,
  actor: Actor,
  options: ResolveOptions = {},
): Promise<TargetFacts> {
  if (name === LOCAL_TARGET) {
    const roots = orch.localPolicy.writableRoots;
    return {
      ...localFacts(orch.dataDir, orch.environment),
      ...(roots === undefined ? {} : { writableRoots: roots }),
    };
  }
  const facts = factsFromReport(await probeTarget(orch, name, actor, options));
  const target = await orch.target(name, options);
  return {
    ...facts,
    sandbox: target.sandbox,
    protectedPaths: target.protectedPaths ?? [],
    ...(target.writableRoots === undefined ? {} : { writableRoots: target.writableRoots }),
  };
}
