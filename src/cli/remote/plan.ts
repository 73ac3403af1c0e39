import type { planView } from '../../engine/index.js';
import type { RemoteClient } from './client.js';

export type PlanJson = ReturnType<typeof planView>;

/** `POST /api/v1/plan`: the server plans for its target (an SSH target is probed, read-only). */
export async function planRemote(
  client: RemoteClient,
  input: { source: string; target: string; ref?: string; port?: number; prompt?: string },
): Promise<PlanJson> {
  return (await client.request('POST', '/api/v1/plan', {
    body: {
      repository_url: input.source,
      target: input.target,
      ...(input.ref === undefined ? {} : { ref: input.ref }),
      ...(input.port === undefined ? {} : { port: input.port }),
      ...(input.prompt === undefined ? {} : { task_prompt: input.prompt }),
    },
  })) as PlanJson;
}
