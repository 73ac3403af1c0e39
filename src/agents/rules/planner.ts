import type { Planner } from '../agent.js';
import { planFromPrompt } from './plan/plan.js';

/**
 * The offline planner: stack detection plus table-driven reading of the prompt. Deterministic, no
 * network, no exchanges to record; the default provider and the one CI evaluates.
 */
export function createRulesPlanner(): Planner {
  return {
    provider: 'rules',
    plan: async (input, signal) => {
      signal?.throwIfAborted();
      return { output: planFromPrompt(input), exchanges: [] };
    },
  };
}
