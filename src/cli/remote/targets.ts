import { readFile } from 'node:fs/promises';
import { AutomatosError } from '../../core/index.js';
import type { AddTargetInput, localTargetView, TargetReport, targetView } from '../../engine/index.js';
import type { RemoteClient } from './client.js';

export type TargetView = ReturnType<typeof targetView>;
export type LocalTargetView = ReturnType<typeof localTargetView>;

/** `GET /api/v1/targets` lists the built-in target (when in the key's scope) beside the stored ones. */
interface TargetListJson {
  items: (TargetView | LocalTargetView)[];
}

const path = (name: string): string => `/api/v1/targets/${encodeURIComponent(name)}`;

export async function listTargets(
  client: RemoteClient,
): Promise<{ local: LocalTargetView | null; targets: TargetView[] }> {
  const { items } = (await client.request('GET', '/api/v1/targets')) as TargetListJson;
  return {
    local: items.find((t): t is LocalTargetView => 'builtin' in t) ?? null,
    targets: items.filter((t): t is TargetView => !('builtin' in t)),
  };
}

export const showTarget = (client: RemoteClient, name: string): Promise<unknown> =>
  client.request('GET', path(name));

async function readKey(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new AutomatosError('AUT_IO', `cannot read the private key ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * `--key FILE` is read here and sent as the PEM (the server cannot read the client's disk); the
 * server stores it encrypted and never returns it. `--agent` means the server's own ssh-agent.
 */
export async function addTarget(client: RemoteClient, input: AddTargetInput): Promise<TargetView> {
  const body = {
    name: input.name,
    host: input.host,
    ...(input.port === undefined ? {} : { port: input.port }),
    ...(input.user === undefined ? {} : { user: input.user }),
    ...(input.keyFile === undefined ? {} : { private_key: await readKey(input.keyFile) }),
    agent: input.agent === true,
    trust_host_key: input.trustHostKey === true,
    ...(input.fingerprint === undefined ? {} : { fingerprint: input.fingerprint }),
    ...(input.policy === undefined ? {} : { policy: input.policy }),
    ...(input.sandbox === undefined ? {} : { sandbox: input.sandbox }),
    ...(input.root === undefined ? {} : { root: input.root }),
    labels: input.labels ?? {},
  };
  return (await client.request('POST', '/api/v1/targets', { body })) as TargetView;
}

export async function checkTarget(
  client: RemoteClient,
  name: string,
  trustHostKey: boolean,
): Promise<TargetReport> {
  return (await client.request('POST', `${path(name)}/check`, {
    ...(trustHostKey ? { body: { trust_host_key: true } } : {}),
  })) as TargetReport;
}

export async function removeTarget(client: RemoteClient, name: string): Promise<void> {
  await client.request('DELETE', path(name));
}
