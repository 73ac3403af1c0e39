import { Command, CommanderError, Option } from 'commander';
import { AutomatosError, exitCodeFor, isAutomatosError } from '../core/index.js';
import { MODULE_TYPES } from '../manifest/index.js';
import { PROFILES } from '../policy/index.js';
import { detectCommand } from './commands/detect.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { policyCheckCommand, type PolicyCheckOptions } from './commands/policy-check.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { contextFor, type GlobalOptions } from './context.js';
import { processIo, type Io } from './io.js';
import { VERSION } from './version.js';

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('automatos')
    .description('Secure deployment orchestrator: from a repository to verified, audited running software.')
    .version(VERSION, '-V, --version')
    .option('--data-dir <dir>', 'data directory (default: $AUTOMATOS_HOME or ~/.automatos)')
    .showHelpAfterError('(run automatos --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const ctx = () => contextFor(io, program.opts<GlobalOptions>());
  const run = (work: () => Promise<number>) => async () => setExit(await work());

  program
    .command('validate [path]')
    .description(
      'validate ai-module.yaml (a file, or a directory holding one); exit 0 valid, 1 invalid, 2 usage/IO',
    )
    .option('--json', 'print {valid, errors, warnings, module} as JSON')
    .action((path: string | undefined, opts: { json?: boolean }) =>
      run(() => validateCommand(ctx(), path, opts))(),
    );

  program
    .command('init [dir]')
    .description('write an ai-module.yaml for a repository, filled from stack detection')
    .addOption(new Option('--type <type>', 'module type template to start from').choices(MODULE_TYPES))
    .option('--force', 'overwrite an existing manifest')
    .action((dir: string | undefined, opts: { type?: string; force?: boolean }) =>
      run(() => initCommand(ctx(), dir, opts))(),
    );

  program
    .command('detect [dir]')
    .description('show the tier and the ranked stack candidates with their evidence')
    .option('--json', 'print {tier, candidates, chosen} as JSON')
    .action((dir: string | undefined, opts: { json?: boolean }) =>
      run(() => detectCommand(ctx(), dir, opts))(),
    );

  program
    .command('plan <source>')
    .description(
      'print the deployment plan (steps and exact commands) for a directory or git URL; contacts no server',
    )
    .option('--target <name>', 'target to plan for', 'local')
    .option('--ref <ref>', 'branch, tag or commit to check out (git URLs only)')
    .option('--json', 'print {tier, module, steps, detection, …} as JSON')
    .action((source: string, opts: { target: string; ref?: string; json?: boolean }) =>
      run(() => planCommand(ctx(), source, opts))(),
    );

  const policy = program.command('policy').description('the command security policy');
  policy
    .command('check [command...]')
    .description('check a command against the policy; exit 0 allow, 3 deny, 2 usage error')
    .addOption(new Option('--profile <profile>', 'policy profile').choices(PROFILES))
    .option('--cwd <dir>', 'working directory the command would run in (default: the current one)')
    .option('--root <dir...>', 'writable roots (default: the deploy roots, /tmp and /var/tmp)')
    .option('--policy-file <file>', 'custom policy file (YAML)')
    .option('--file <file>', 'check one command per line; prints one JSON object per line')
    .option('--json', 'print the decision as JSON')
    .action((words: string[], opts: PolicyCheckOptions) =>
      run(() => policyCheckCommand(ctx(), words, opts))(),
    );

  program
    .command('schema')
    .description('print the JSON Schema of ai-module.yaml')
    .action(() => run(() => schemaCommand(ctx()))());

  return program;
}

/** Runs the CLI and returns the exit code; errors become one clear line, never a stack trace. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    const failure = isAutomatosError(error)
      ? error
      : new AutomatosError(
          'AUT_INTERNAL',
          `internal error: ${error instanceof Error ? error.message : String(error)}`,
        );
    io.err(`error: ${failure.message}\n`);
    return exitCodeFor(failure);
  }
}
