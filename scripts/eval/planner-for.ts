import {
  createAgents,
  loadAgentConfig,
  PROVIDERS,
  type Planner,
  type ProviderId,
} from '../../src/agents/index.js';
import { AutomatosError, resolveDataDir } from '../../src/core/index.js';

export function parseProvider(raw: string): ProviderId {
  const id = PROVIDERS.find((p) => p === raw);
  if (!id) {
    throw new AutomatosError('AUT_USAGE', `unknown provider "${raw}"; use one of: ${PROVIDERS.join(', ')}`);
  }
  return id;
}

/**
 * The planner of one provider, configured the way `automatos` would be (AUTOMATOS_LLM_* or the
 * data dir's config file) except that the provider itself is the one asked for.
 */
export function plannerFor(provider: ProviderId, env: NodeJS.ProcessEnv = process.env): Planner {
  const config = loadAgentConfig(
    { ...env, AUTOMATOS_LLM_PROVIDER: provider },
    resolveDataDir(undefined, env),
  );
  return createAgents(config).planner;
}
