import { AutomatosError } from '../../core/index.js';
import {
  checkAppName,
  checkSecretName,
  cliActor,
  listAppSecrets,
  removeAppSecret,
  setAppSecret,
} from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { printJson } from '../io.js';
import { withOrchestrator } from '../orchestrator.js';
import { listSecrets, remoteClient, removeSecret, setSecret } from '../remote/index.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * The value comes from stdin by default so it stays out of shell history and `ps`; `--value` is for
 * scripts that accept that trade-off.
 */
export async function secretsSetCommand(
  ctx: CommandContext,
  app: string,
  name: string,
  opts: { value?: string },
  stdin: () => Promise<string> = readStdin,
): Promise<number> {
  // The engine's schemas, as the API's: refused before anyone types the value.
  checkAppName(app);
  checkSecretName(name);
  // Settings first: a bad AUTOMATOS_URL is reported before anyone types the secret.
  const client = remoteClient(ctx);
  const value = opts.value ?? (await stdin());
  if (value === '')
    throw new AutomatosError('AUT_USAGE', 'the secret value is empty; give it on stdin or with --value');
  if (client === null)
    await withOrchestrator(ctx, (orch) => setAppSecret(orch, app, name, value, cliActor()));
  else await setSecret(client, app, name, value);
  ctx.io.out(`secret ${name} of ${app} stored encrypted\n`);
  return 0;
}

export async function secretsListCommand(
  ctx: CommandContext,
  app: string,
  opts: { json?: boolean },
): Promise<number> {
  checkAppName(app);
  const client = remoteClient(ctx);
  const names =
    client === null
      ? await withOrchestrator(ctx, (orch) => listAppSecrets(orch, app))
      : await listSecrets(client, app);
  if (opts.json === true) printJson(ctx.io, names);
  else for (const name of names) ctx.io.out(`${name}\n`);
  return 0;
}

export async function secretsRemoveCommand(ctx: CommandContext, app: string, name: string): Promise<number> {
  checkAppName(app);
  checkSecretName(name);
  const client = remoteClient(ctx);
  if (client === null) await withOrchestrator(ctx, (orch) => removeAppSecret(orch, app, name, cliActor()));
  else await removeSecret(client, app, name);
  ctx.io.out(`secret ${name} of ${app} removed\n`);
  return 0;
}
