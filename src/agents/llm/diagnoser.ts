import type { Redactor } from '../../security/index.js';
import type { Diagnoser } from '../agent.js';
import { DiagnosisSchema } from '../diagnosis.js';
import type { ChatModel } from './chat-model.js';
import { diagnoserSystemPrompt, diagnoserUserPrompt } from './prompts.js';
import { diagnosisReplySchema } from './schemas.js';
import { askStructured } from './structured.js';

/**
 * A diagnoser backed by a chat model. Its fix is data: the engine applies it to the manifest,
 * plans again and has the policy review the result before anything runs.
 */
export function createLlmDiagnoser(model: ChatModel, redact: Redactor): Diagnoser {
  const replySchema = diagnosisReplySchema();
  const system = diagnoserSystemPrompt(replySchema);
  return {
    provider: model.provider,
    async diagnose(input, signal) {
      const { value, exchanges } = await askStructured(model, {
        agent: 'diagnoser',
        what: 'diagnosis',
        system,
        user: diagnoserUserPrompt(input),
        schema: DiagnosisSchema,
        replySchema,
        redact,
        ...(signal === undefined ? {} : { signal }),
      });
      return { diagnosis: value, exchanges };
    },
  };
}
