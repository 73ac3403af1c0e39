import { isAutomatosError } from '../../core/index.js';
import type { AgentExchange, Diagnosis, Diagnoser } from '../../agents/index.js';
import type { AiModule } from '../../manifest/index.js';
import type { NewAgentExchange, Store } from '../../store/index.js';

/** A workflow gets at most this many fixes (issue 6): a third failure is the operator's to read. */
export const MAX_FIXES = 2;

/** What failed, as the diagnoser is told it. */
export interface StepFailure {
  target: string;
  step: string;
  command: string | null;
  exitCode: number | null;
  /** The step's last lines (and the app's own log for release/verify), redacted and bounded. */
  logTail: string;
}

export const toStoredExchange = (e: AgentExchange): NewAgentExchange => ({
  agent: e.agent,
  provider: e.provider,
  model: e.model,
  request: e.request,
  response: e.response,
  inputTokens: e.usage?.inputTokens ?? null,
  outputTokens: e.usage?.outputTokens ?? null,
  ok: e.ok,
  error: e.error,
  at: e.at,
});

/** The exchanges a failed agent call made before it failed (LLM errors carry them). */
const exchangesOf = (error: unknown): AgentExchange[] => {
  const list = isAutomatosError(error) ? error.details['exchanges'] : undefined;
  return Array.isArray(list) ? (list as AgentExchange[]) : [];
};

/**
 * Asks the diagnoser about a failed step and stores what was said (redacted exchanges and their
 * tokens) on the workflow. A diagnoser that fails — an LLM timeout, output that never validates —
 * is an answer too: no fix, with the reason, and the workflow fails as it would have.
 */
export async function askDiagnoser(
  store: Store,
  diagnoser: Diagnoser,
  input: { workflowId: string; module: AiModule; failure: StepFailure; attempt: number },
  signal?: AbortSignal,
): Promise<Diagnosis> {
  const { failure } = input;
  try {
    const { diagnosis, exchanges } = await diagnoser.diagnose(
      {
        module: input.module,
        step: failure.step,
        command: failure.command,
        exitCode: failure.exitCode,
        logTail: failure.logTail,
        attempt: input.attempt,
      },
      signal,
    );
    await store.agentExchanges.record(input.workflowId, exchanges.map(toStoredExchange));
    return diagnosis;
  } catch (error) {
    await store.agentExchanges.record(input.workflowId, exchangesOf(error).map(toStoredExchange));
    const why = error instanceof Error ? error.message : String(error);
    return { fix: null, reason: `the ${diagnoser.provider} diagnoser gave no answer: ${why}`.slice(0, 1000) };
  }
}
