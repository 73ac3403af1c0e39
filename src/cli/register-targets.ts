import { type Command, Option } from 'commander';
import { PROFILES } from '../policy/index.js';
import { SANDBOX_MODES } from '../sandbox/index.js';
import type { CommandContext } from './context.js';
import {
  targetsAddCommand,
  targetsCheckCommand,
  targetsListCommand,
  targetsRemoveCommand,
  targetsShowCommand,
  type TargetAddOptions,
} from './commands/targets.js';

/** `automatos targets …`: the SSH targets beside the built-in `local`. */
export function registerTargets(
  program: Command,
  ctx: () => CommandContext,
  run: (work: () => Promise<number>) => () => Promise<void>,
): void {
  const targets = program
    .command('targets')
    .description('SSH targets (the built-in "local" target is always there)');
  targets
    .command('add <name>')
    .description('register an SSH target; its private key is stored encrypted')
    .requiredOption('--host <host>', 'hostname or IP address')
    .option('--port <port>', 'SSH port (default 22)')
    .option('--user <user>', 'SSH user (default root)')
    .option('--key <file>', 'private key file to store (encrypted with the master key)')
    .option('--agent', 'authenticate with ssh-agent (SSH_AUTH_SOCK)')
    .option('--trust-host-key', 'connect now and pin the host key presented (trust on first use)')
    .option('--fingerprint <SHA256:…>', 'pin this host key fingerprint')
    .addOption(
      new Option('--policy <profile>', 'command policy profile').choices(PROFILES).default('standard'),
    )
    .option('--root <dir>', 'deploy root on the host (default /opt/automatos/apps, or ~/.automatos/apps)')
    .addOption(
      new Option(
        '--sandbox <mode>',
        'bwrap: run user commands in bubblewrap; off: unconfined (only where the host cannot sandbox)',
      )
        .choices(SANDBOX_MODES)
        .default('bwrap'),
    )
    .option('--label <k=v...>', 'labels')
    .action((name: string, opts: TargetAddOptions) => run(() => targetsAddCommand(ctx(), name, opts))());
  targets
    .command('ls')
    .description('list targets')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => run(() => targetsListCommand(ctx(), opts))());
  targets
    .command('show <name>')
    .description('show one target as JSON (never its key)')
    .action((name: string) => run(() => targetsShowCommand(ctx(), name))());
  targets
    .command('check <name>')
    .description(
      'connect and report latency, OS, systemd/docker, whether the deploy root is writable and whether user commands can be sandboxed',
    )
    .option('--trust-host-key', 'pin the host key presented if none is pinned yet')
    .option('--json', 'print as JSON')
    .action((name: string, opts: { json?: boolean; trustHostKey?: boolean }) =>
      run(() => targetsCheckCommand(ctx(), name, opts))(),
    );
  targets
    .command('rm <name>')
    .description('remove a target and its stored key')
    .action((name: string) => run(() => targetsRemoveCommand(ctx(), name))());
}
