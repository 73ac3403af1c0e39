import type { AgentExchange, AgentUsage } from '../agent.js';

/** Tokens of all the exchanges together, repairs and failed calls included: each one was billed. */
export function totalUsage(exchanges: readonly AgentExchange[]): AgentUsage {
  return exchanges.reduce<AgentUsage>(
    (sum, exchange) => ({
      inputTokens: sum.inputTokens + (exchange.usage?.inputTokens ?? 0),
      outputTokens: sum.outputTokens + (exchange.usage?.outputTokens ?? 0),
    }),
    { inputTokens: 0, outputTokens: 0 },
  );
}
