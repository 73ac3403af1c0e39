import { Orchestrator } from '../engine/index.js';
import type { CommandContext } from './context.js';

/** Opens the orchestrator for one command and always closes it (connections, database). */
export async function withOrchestrator<T>(
  ctx: CommandContext,
  work: (orch: Orchestrator) => Promise<T>,
): Promise<T> {
  const orch = await Orchestrator.open({
    dataDir: ctx.dataDir,
    env: ctx.io.env,
    ...(ctx.databaseUrl === undefined ? {} : { databaseUrl: ctx.databaseUrl }),
  });
  try {
    return await work(orch);
  } finally {
    await orch.close();
  }
}
