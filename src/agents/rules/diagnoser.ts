import type { Diagnoser } from '../agent.js';
import { diagnoseFailure } from './diagnose/diagnose.js';

/** The offline diagnoser: a table of common failures, each with the fix it trusts (or none). */
export function createRulesDiagnoser(): Diagnoser {
  return {
    provider: 'rules',
    diagnose: async (input, signal) => {
      signal?.throwIfAborted();
      return { diagnosis: diagnoseFailure(input), exchanges: [] };
    },
  };
}
