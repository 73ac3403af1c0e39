import type { z } from 'zod';
import { AutomatosError, isAutomatosError } from '../../core/index.js';
import type { Redactor } from '../../security/index.js';
import type { AgentExchange } from '../agent.js';
import type { ChatMessage, ChatModel, ChatReply, ReplySchema } from './chat-model.js';
import { checkReply } from './json-reply.js';
import { repairPrompt } from './prompts.js';

export interface AskOptions<S extends z.ZodType> {
  agent: AgentExchange['agent'];
  /** What the answer is, for messages: "plan", "diagnosis". */
  what: string;
  system: string;
  /** Redacted here, before it is sent: it carries repository content. */
  user: string;
  schema: S;
  /** The same schema as JSON Schema, for endpoints that can constrain their output to it. */
  replySchema: ReplySchema;
  check?: (value: z.output<S>) => string[];
  redact: Redactor;
  signal?: AbortSignal;
}

export interface Answer<T> {
  value: T;
  exchanges: AgentExchange[];
}

/**
 * Asks for JSON matching `schema`, with one repair round: an invalid answer goes back to the model
 * with what is wrong, and a second invalid answer fails with AUT_LLM_INVALID_OUTPUT. Every request
 * and reply is recorded, redacted, as an AgentExchange; when the call fails, the exchanges made so
 * far travel in the error's `details.exchanges` so the workflow can still keep them.
 */
export async function askStructured<S extends z.ZodType>(
  model: ChatModel,
  options: AskOptions<S>,
): Promise<Answer<z.output<S>>> {
  const { redact } = options;
  const exchanges: AgentExchange[] = [];
  const record = (request: string, reply: ChatReply | null, error: string | null) =>
    exchanges.push({
      agent: options.agent,
      provider: model.provider,
      model: model.model,
      request: redact(request),
      response: redact(reply?.text ?? ''),
      usage: reply?.usage ?? null,
      ok: error === null,
      error: error === null ? null : redact(error),
      at: new Date().toISOString(),
    });

  const messages: ChatMessage[] = [{ role: 'user', content: redact(options.user) }];
  let problems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const sent = messages.at(-1)?.content ?? '';
    const request = attempt === 1 ? `system:\n${options.system}\n\nuser:\n${sent}` : `user:\n${sent}`;
    let reply: ChatReply;
    try {
      reply = await model.complete({
        system: options.system,
        messages,
        schema: options.replySchema,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      const failure = isAutomatosError(error)
        ? error
        : new AutomatosError('AUT_INTERNAL', `the ${model.provider} call failed: ${String(error)}`);
      record(request, null, failure.message);
      throw withExchanges(failure, exchanges);
    }
    const checked = checkReply(reply.text, options.schema, options.check);
    if (checked.ok) {
      record(request, reply, null);
      return { value: checked.value, exchanges };
    }
    problems = checked.problems;
    record(request, reply, problems.join('\n'));
    messages.push(
      { role: 'assistant', content: reply.text },
      { role: 'user', content: repairPrompt(problems) },
    );
  }
  const shown = redact(problems.slice(0, 5).join('; '));
  throw new AutomatosError(
    'AUT_LLM_INVALID_OUTPUT',
    `the ${model.provider} model "${model.model}" gave no valid ${options.what}, even after being shown ` +
      `what was wrong: ${shown}. Try another model, or AUTOMATOS_LLM_PROVIDER=rules`,
    { details: { provider: model.provider, model: model.model, problems: problems.map(redact), exchanges } },
  );
}

function withExchanges(error: AutomatosError, exchanges: AgentExchange[]): AutomatosError {
  return new AutomatosError(error.code, error.message, {
    details: { ...error.details, exchanges },
    transient: error.transient,
    cause: error,
  });
}
