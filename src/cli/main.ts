import { Command, CommanderError, Option } from 'commander';
import { AutomatosError, exitCodeFor, isAutomatosError } from '../core/index.js';
import { MODULE_TYPES } from '../manifest/index.js';
import { PROFILES } from '../policy/index.js';
import { ACTIONS, ROLES } from '../security/index.js';
import { appsListCommand, appsShowCommand, rollbackCommand } from './commands/apps.js';
import { appsStartCommand, appsStopCommand } from './commands/apps-control.js';
import { auditListCommand, auditVerifyCommand, type AuditListOptions } from './commands/audit.js';
import { deployCommand, type DeployOptions } from './commands/deploy.js';
import { detectCommand } from './commands/detect.js';
import { doctorCommand, type DoctorOptions } from './commands/doctor.js';
import { execCommand, type ExecOptions } from './commands/exec.js';
import { initCommand } from './commands/init.js';
import { mcpCommand, type McpOptions } from './commands/mcp.js';
import { monitorCommand, type MonitorCommandOptions } from './commands/monitor.js';
import { planCommand } from './commands/plan.js';
import { policyCheckCommand, type PolicyCheckOptions } from './commands/policy-check.js';
import { schemaCommand } from './commands/schema.js';
import { secretsListCommand, secretsRemoveCommand, secretsSetCommand } from './commands/secrets.js';
import { validateCommand } from './commands/validate.js';
import {
  workflowsListCommand,
  workflowsLogsCommand,
  workflowsShowCommand,
  workflowsResumeCommand,
  workflowsStopCommand,
  type WorkflowsListOptions,
} from './commands/workflows.js';
import { workflowsApproveCommand, workflowsRejectCommand } from './commands/approval.js';
import { workerCommand, type WorkerOptions } from './commands/worker.js';
import {
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  type KeysCreateOptions,
} from './commands/keys.js';
import { serveCommand, type ServeOptions } from './commands/serve.js';
import {
  reposAddCommand,
  reposListCommand,
  reposRemoveCommand,
  type ReposAddOptions,
} from './commands/repos.js';
import { contextFor, type GlobalOptions } from './context.js';
import { registerTargets } from './register-targets.js';
import { processIo, type Io } from './io.js';
import { VERSION } from '../core/index.js';

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('automatos')
    .description('Secure deployment orchestrator: from a repository to verified, audited running software.')
    .version(VERSION, '-V, --version')
    .option('--data-dir <dir>', 'data directory (default: $AUTOMATOS_HOME or ~/.automatos)')
    .option(
      '--database-url <url>',
      'PostgreSQL instead of the embedded SQLite file (default: $AUTOMATOS_DATABASE_URL)',
    )
    .addHelpText(
      'after',
      '\nWith AUTOMATOS_URL and AUTOMATOS_API_KEY set, deploy, plan, workflows, rollback, apps, targets,\n' +
        'secrets, audit and exec are requests to that server (`automatos serve`) instead.',
    )
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
    .option('--prompt <text>', 'have the configured planner write it from this task description (tier 2)')
    .action((dir: string | undefined, opts: { type?: string; force?: boolean; prompt?: string }) =>
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
    .option('--port <n>', "run on this port instead of the manifest's (or detection's)")
    .option('--prompt <text>', 'tier 2: plan from this task description with the configured planner')
    .option('--json', 'print {tier, module, steps, requirements, review, …} as JSON')
    .action(
      (
        source: string,
        opts: { target: string; ref?: string; port?: string; prompt?: string; json?: boolean },
      ) => run(() => planCommand(ctx(), source, opts))(),
    );

  program
    .command('deploy <source>')
    .description(
      'deploy a directory or git URL: build and test on every target, release, verify, roll back on failure',
    )
    .option('--target <names>', 'target(s), comma-separated ("local" for this machine)')
    .option('--label <k=v...>', 'also every registered target with these labels (all must match)')
    .option('--ref <ref>', 'branch, tag or commit to check out (git URLs only)')
    .option('--batch <n>', 'how many targets switch to the new release at once (default: all)')
    .option('--detach', 'queue it, run it in a background worker and return at once with the workflow id')
    .option('--port <n>', "run on this port instead of the manifest's (or detection's)")
    .option('--prompt <text>', 'tier 2: plan from this task description with the configured planner')
    .option('--json', 'print the outcome as JSON instead of streaming steps and logs')
    .action((source: string, opts: DeployOptions) => run(() => deployCommand(ctx(), source, opts))());

  program
    .command('rollback <app>')
    .description('switch an app on a target back to an earlier release, restart and verify it')
    .requiredOption('--target <name>', 'the target')
    .option('--to <release>', 'the release id (default: the one that served before the current one)')
    .action((app: string, opts: { target: string; to?: string }) =>
      run(() => rollbackCommand(ctx(), app, opts))(),
    );

  const apps = program.command('apps').description('deployed apps and their releases');
  apps
    .command('ls')
    .description('list apps')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => run(() => appsListCommand(ctx(), opts))());
  apps
    .command('show <app>')
    .description('releases per target, newest first; * marks the one serving')
    .option('--json', 'print as JSON')
    .action((app: string, opts: { json?: boolean }) => run(() => appsShowCommand(ctx(), app, opts))());
  apps
    .command('stop <app>')
    .description(
      "stop the app's serving release on a target (it stays recorded; `apps start` brings it back)",
    )
    .requiredOption('--target <name>', 'the target')
    .action((app: string, opts: { target: string }) => run(() => appsStopCommand(ctx(), app, opts))());
  apps
    .command('start <app>')
    .description("start (or restart) the app's serving release on a target and verify its health")
    .requiredOption('--target <name>', 'the target')
    .action((app: string, opts: { target: string }) => run(() => appsStartCommand(ctx(), app, opts))());

  program
    .command('monitor')
    .description(
      'health-check every live release, record the results and alert on changes; --once: exit 1 if any is unhealthy',
    )
    .option('--app <app>', 'only this app')
    .option('--once', 'one round: one line per app and target, then exit')
    .option('--interval <seconds>', 'time between rounds (default 30)')
    .option('--json', 'print as JSON (with --once: an array; otherwise one object per line)')
    .action((opts: MonitorCommandOptions) => run(() => monitorCommand(ctx(), opts))());

  const workflows = program.command('workflows').description('deployments as they ran: status, steps, logs');
  workflows
    .command('ls')
    .description('list workflows, newest first')
    .option('--status <status>', 'only this status')
    .option('--app <app>', 'only this app')
    .option('--limit <n>', 'how many (default 20)')
    .option('--json', 'print as JSON')
    .action((opts: WorkflowsListOptions) => run(() => workflowsListCommand(ctx(), opts))());
  workflows
    .command('show <id>')
    .description('one workflow with its steps per target')
    .option('--json', 'print as JSON')
    .action((id: string, opts: { json?: boolean }) => run(() => workflowsShowCommand(ctx(), id, opts))());
  workflows
    .command('logs <id>')
    .description("replay a workflow's log in order")
    .option('--follow', 'keep printing new lines until the workflow finishes')
    .action((id: string, opts: { follow?: boolean }) => run(() => workflowsLogsCommand(ctx(), id, opts))());
  workflows
    .command('stop <id>')
    .description(
      'stop a running workflow: its remote command is killed and the previous release keeps serving',
    )
    .action((id: string) => run(() => workflowsStopCommand(ctx(), id))());
  workflows
    .command('approve <id>')
    .description('approve a workflow awaiting approval and run it here (its plan is reviewed again first)')
    .option('--detach', 'queue it for a background worker and return at once')
    .option('--json', 'print the outcome as JSON')
    .action((id: string, opts: { detach?: boolean; json?: boolean }) =>
      run(() => workflowsApproveCommand(ctx(), id, opts))(),
    );
  workflows
    .command('reject <id>')
    .description('reject a workflow awaiting approval: it ends cancelled and nothing runs')
    .option('--reason <text>', 'why, recorded on the workflow and in the audit log')
    .option('--json', 'print the result as JSON')
    .action((id: string, opts: { reason?: string; json?: boolean }) =>
      run(() => workflowsRejectCommand(ctx(), id, opts))(),
    );
  workflows
    .command('resume')
    .description(
      'resume workflows a crashed process left running (their leases expired) from their last completed step',
    )
    .action(() => run(() => workflowsResumeCommand(ctx()))());

  const repos = program
    .command('repos')
    .description(
      'repositories whose pushes deploy automatically (GitHub/GitLab webhooks to `automatos serve`)',
    );
  repos
    .command('add <name>')
    .description('register a repository; prints the webhook secret once (or takes $AUTOMATOS_WEBHOOK_SECRET)')
    .requiredOption('--url <url>', 'clone URL (https, ssh or scp-like), as the push payload names it')
    .requiredOption('--targets <names>', 'target(s) pushes deploy to, comma-separated')
    .addOption(
      new Option('--provider <forge>', 'who sends the webhooks')
        .choices(['github', 'gitlab'])
        .default('github'),
    )
    .option('--branch <branch>', 'the branch whose pushes deploy', 'main')
    .option('--json', 'print as JSON (with the secret, once)')
    .action((name: string, opts: ReposAddOptions) => run(() => reposAddCommand(ctx(), name, opts))());
  repos
    .command('ls')
    .description('list registered repositories (never their secrets)')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => run(() => reposListCommand(ctx(), opts))());
  repos
    .command('rm <name>')
    .description('unregister a repository and delete its webhook secret')
    .action((name: string) => run(() => reposRemoveCommand(ctx(), name))());

  program
    .command('worker')
    .description(
      'run queued workflows (from `deploy --detach` or other processes) and resume crashed ones, until stopped',
    )
    .option('--once', 'exit when nothing is left to run; exit 1 if any workflow it ran did not succeed')
    .option('--workflow <id>', 'only this queued workflow (implies --once)')
    .option('--concurrency <n>', 'workflows at once (default $AUTOMATOS_WORKER_CONCURRENCY or 4)')
    .option('--poll <seconds>', 'how often to look for new work (default 2)')
    .action((opts: WorkerOptions) => run(() => workerCommand(ctx(), opts))());

  registerTargets(program, ctx, run);

  program
    .command('exec <command...>')
    .description(
      'run one command on a target through the policy and the audit log; exits with its exit code (3 when denied)',
    )
    .requiredOption('--target <name>', 'target to run on ("local" for this machine)')
    .option('--cwd <dir>', 'working directory (default: /)')
    .option('--timeout <seconds>', 'stop the remote process group after this long')
    .option('--json', 'print the result as JSON instead of streaming output')
    .action((words: string[], opts: ExecOptions) => run(() => execCommand(ctx(), words, opts))());

  const secrets = program
    .command('secrets')
    .description("an app's secrets: encrypted at rest, written only to the target's env file");
  secrets
    .command('set <app> <name>')
    .description('store a secret (value from stdin, or --value)')
    .option('--value <value>', 'the value (visible in shell history and ps; prefer stdin)')
    .action((app: string, name: string, opts: { value?: string }) =>
      run(() => secretsSetCommand(ctx(), app, name, opts))(),
    );
  secrets
    .command('ls <app>')
    .description('list secret names (never values)')
    .option('--json', 'print as JSON')
    .action((app: string, opts: { json?: boolean }) => run(() => secretsListCommand(ctx(), app, opts))());
  secrets
    .command('rm <app> <name>')
    .description('remove a secret')
    .action((app: string, name: string) => run(() => secretsRemoveCommand(ctx(), app, name))());

  const audit = program.command('audit').description('the keyed, hash-chained audit log');
  audit
    .command('ls')
    .description('list audit records, oldest first')
    .option('--target <name>', 'only records for this target')
    .option('--since <time>', 'only records at or after this time')
    .option('--limit <n>', 'the newest N records (default 100)')
    .option('--json', 'print as JSON')
    .action((opts: AuditListOptions) => run(() => auditListCommand(ctx(), opts))());
  audit
    .command('verify')
    .description('verify the hash chain; exit 1 and report the first broken link if it was altered')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => run(() => auditVerifyCommand(ctx(), opts))());

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
    .command('mcp')
    .description(
      'serve the MCP tools (deploy, plan, workflows, execute, …) over stdio for an AI assistant; stdout is the protocol',
    )
    .addOption(
      new Option('--role <role>', 'what the assistant may do (default admin: all you may)').choices(ROLES),
    )
    .option('--targets <names>', 'only these targets, comma-separated (default: every target)')
    .addOption(new Option('--grant <action...>', 'actions beyond the role, e.g. execute').choices(ACTIONS))
    .action((opts: McpOptions) => run(() => mcpCommand(ctx(), opts))());

  program
    .command('serve')
    .description('run the HTTP API and the workflow worker in one process (SIGTERM stops it gracefully)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of the certificate')
    .option('--cors-origin <origin...>', 'allow these browser origins (CORS is off without it)')
    .option('--trust-proxy <addr...>', 'believe X-Forwarded-For only from these proxy addresses/CIDRs')
    .option('--allow-local-sources', 'accept directories and file:// URLs on this machine as repository_url')
    .action((opts: ServeOptions) => run(() => serveCommand(ctx(), opts))());

  const keys = program.command('keys').description('API keys of the server (stored as digests only)');
  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'a label for the key')
    .option('--targets <names>', 'only these targets, comma-separated (default: every target)')
    .addOption(new Option('--grant <action...>', 'actions beyond the role, e.g. execute').choices(ACTIONS))
    .option('--expires <when>', 'a duration (30d, 12h, 90m) or an ISO date')
    .option('--json', 'print {id, role, targets, key} as JSON')
    .action((opts: KeysCreateOptions) => run(() => keysCreateCommand(ctx(), opts))());
  keys
    .command('ls')
    .description('list keys (never the keys themselves)')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => run(() => keysListCommand(ctx(), opts))());
  keys
    .command('revoke <id>')
    .description('revoke a key: it is refused from the next request on')
    .action((id: string) => run(() => keysRevokeCommand(ctx(), id))());

  program
    .command('schema')
    .description('print the JSON Schema of ai-module.yaml')
    .action(() => run(() => schemaCommand(ctx()))());

  program
    .command('doctor')
    .description(
      'show what this installation uses: data dir, database, master key, tier-2 provider and model (never the key); exit 1 on a problem',
    )
    .option('--check', 'also send one tiny request to the configured model to prove it answers')
    .option('--json', 'print the report as JSON')
    .action((opts: DoctorOptions) => run(() => doctorCommand(ctx(), opts))());

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
