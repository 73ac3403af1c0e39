import {
  addTarget,
  cliActor,
  localTargetView,
  probeTarget,
  removeTarget,
  targetView,
} from '../../engine/index.js';
import type { AddTargetInput, TargetReport } from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import { resolveFrom } from '../paths.js';
import * as remote from '../remote/index.js';
import { parseLabels } from '../target-selection.js';

export interface TargetAddOptions {
  host: string;
  port?: string;
  user?: string;
  key?: string;
  agent?: boolean;
  trustHostKey?: boolean;
  fingerprint?: string;
  policy?: string;
  sandbox?: string;
  root?: string;
  label?: string[];
}

export async function targetsAddCommand(
  ctx: CommandContext,
  name: string,
  opts: TargetAddOptions,
): Promise<number> {
  const input: AddTargetInput = {
    name,
    host: opts.host,
    ...(opts.port === undefined ? {} : { port: Number(opts.port) }),
    ...(opts.user === undefined ? {} : { user: opts.user }),
    ...(opts.key === undefined ? {} : { keyFile: resolveFrom(ctx.io, opts.key) }),
    agent: opts.agent === true,
    trustHostKey: opts.trustHostKey === true,
    ...(opts.fingerprint === undefined ? {} : { fingerprint: opts.fingerprint }),
    ...(opts.policy === undefined ? {} : { policy: opts.policy as AddTargetInput['policy'] }),
    ...(opts.root === undefined ? {} : { root: opts.root }),
    ...(opts.sandbox === undefined ? {} : { sandbox: opts.sandbox as AddTargetInput['sandbox'] }),
    labels: parseLabels(opts.label),
  };
  const client = remote.remoteClient(ctx);
  const target =
    client === null
      ? targetView(await withOrchestrator(ctx, (orch) => addTarget(orch, input, cliActor())))
      : await remote.addTarget(client, input);
  ctx.io.out(
    `added target ${target.name} (${target.user}@${target.host}:${target.port}, policy ${target.policy})\n`,
  );
  if (target.sandbox === 'off') {
    ctx.io.out('  sandbox OFF: commands Automatos did not build run unconfined on this target\n');
  }
  ctx.io.out(
    target.host_key_fingerprint === null
      ? '  host key not pinned yet: connections are refused until you run `automatos targets check NAME --trust-host-key` or re-add with --fingerprint\n'
      : `  host key pinned: ${target.host_key_fingerprint}\n`,
  );
  return 0;
}

/** Remote, `local` is the server's machine, listed when the key's scope holds it. */
export async function targetsListCommand(ctx: CommandContext, opts: { json?: boolean }): Promise<number> {
  const client = remote.remoteClient(ctx);
  const { local, targets } =
    client === null
      ? await withOrchestrator(ctx, async (orch) => ({
          local: localTargetView(orch.environment, orch.localPolicy.profile),
          targets: (await orch.store.targets.list()).map(targetView),
        }))
      : await remote.listTargets(client);
  if (opts.json === true) {
    printJson(ctx.io, [...(local === null ? [] : [local]), ...targets]);
    return 0;
  }
  ctx.io.out('NAME            ADDRESS                         POLICY     SANDBOX  HOST KEY\n');
  if (local !== null) {
    ctx.io.out(
      `${'local'.padEnd(15)} ${'(this machine)'.padEnd(31)} ${local.policy.padEnd(10)} ${local.sandbox.padEnd(8)} -\n`,
    );
  }
  for (const t of targets) {
    const address = `${t.user}@${t.host}:${t.port}`;
    ctx.io.out(
      `${t.name.padEnd(15)} ${address.padEnd(31)} ${t.policy.padEnd(10)} ${t.sandbox.padEnd(8)} ${t.host_key_fingerprint ?? 'not pinned'}\n`,
    );
  }
  return 0;
}

export async function targetsShowCommand(ctx: CommandContext, name: string): Promise<number> {
  const client = remote.remoteClient(ctx);
  printJson(
    ctx.io,
    client === null
      ? targetView(await withOrchestrator(ctx, (orch) => orch.store.targets.get(name)))
      : await remote.showTarget(client, name),
  );
  return 0;
}

function sandboxLine(r: TargetReport): string {
  const s = r.sandbox;
  if (s.mode === 'off') return 'OFF: user commands run unconfined (the target policy says sandbox: off)';
  if (!s.ready) return `CANNOT SANDBOX: ${s.problem ?? 'unknown'}`;
  return `bubblewrap, ${s.bash ? 'bash' : 'POSIX sh (no bash: bash-only constructs are denied)'}`;
}

function formatReport(r: TargetReport): string {
  return [
    `${r.target}: reachable`,
    `  latency        ${r.latencyMs} ms per command (first command ${r.firstCommandMs} ms, including connection)`,
    `  os             ${r.os} (${r.kernel})`,
    `  user           ${r.user}`,
    `  systemd        ${r.systemd ? 'yes' : 'no'}`,
    `  docker         ${r.docker ? 'yes' : 'no'}`,
    `  packages       ${r.packageManager ?? 'no apt-get, dnf or apk found'}`,
    `  deploy root    ${r.root} (${r.rootWritable ? 'writable' : 'NOT writable'})`,
    `  sandbox        ${sandboxLine(r)}`,
    '',
  ].join('\n');
}

export async function targetsCheckCommand(
  ctx: CommandContext,
  name: string,
  opts: { json?: boolean; trustHostKey?: boolean },
): Promise<number> {
  const trustHostKey = opts.trustHostKey === true;
  const client = remote.remoteClient(ctx);
  const report =
    client === null
      ? await withOrchestrator(ctx, (orch) => probeTarget(orch, name, cliActor(), { trustHostKey }))
      : await remote.checkTarget(client, name, trustHostKey);
  if (opts.json === true) printJson(ctx.io, report);
  else ctx.io.out(formatReport(report));
  return report.rootWritable && report.sandbox.ready ? 0 : 1;
}

export async function targetsRemoveCommand(ctx: CommandContext, name: string): Promise<number> {
  const client = remote.remoteClient(ctx);
  if (client === null) await withOrchestrator(ctx, (orch) => removeTarget(orch, name, cliActor()));
  else await remote.removeTarget(client, name);
  ctx.io.out(`removed target ${name} and its stored key\n`);
  return 0;
}
