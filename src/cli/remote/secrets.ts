import type { RemoteClient } from './client.js';

const path = (app: string, name?: string): string =>
  `/api/v1/apps/${encodeURIComponent(app)}/secrets${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;

/** The value goes in the request body only: never in a URL, a message or the output. */
export async function setSecret(
  client: RemoteClient,
  app: string,
  name: string,
  value: string,
): Promise<void> {
  await client.request('PUT', path(app, name), { body: { value } });
}

export async function listSecrets(client: RemoteClient, app: string): Promise<string[]> {
  return ((await client.request('GET', path(app))) as { names: string[] }).names;
}

export async function removeSecret(client: RemoteClient, app: string, name: string): Promise<void> {
  await client.request('DELETE', path(app, name));
}
