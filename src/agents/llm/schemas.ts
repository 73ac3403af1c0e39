import { z } from 'zod';
import { manifestJsonSchema } from '../../manifest/index.js';
import { DiagnosisSchema } from '../diagnosis.js';
import { PlannerOutputSchema } from '../planner-output.js';
import type { ReplySchema } from './chat-model.js';

type JsonObject = Record<string, unknown>;

const without = (object: JsonObject, ...keys: string[]): JsonObject =>
  Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));

/** Input side, so fields with defaults may be left out, exactly as in a hand-written manifest. */
const toJsonSchema = (schema: z.ZodType): JsonObject =>
  without(z.toJSONSchema(schema, { io: 'input' }) as JsonObject, '$schema');

/**
 * The planner's answer as JSON Schema. `module` is the shipped manifest schema, which carries a
 * description of every field; the model reads those as the documentation of ai-module.yaml. Its
 * `x-` escape hatch is dropped: a planner has no business adding private keys.
 */
function plannerJsonSchema(): JsonObject {
  const module = without(manifestJsonSchema(), '$schema', '$id', 'patternProperties');
  const schema = toJsonSchema(PlannerOutputSchema);
  return { ...schema, properties: { ...(schema['properties'] as JsonObject), module } };
}

let planner: ReplySchema | undefined;
let diagnosis: ReplySchema | undefined;

export const plannerReplySchema = (): ReplySchema =>
  (planner ??= { name: 'deployment_plan', schema: plannerJsonSchema() });

export const diagnosisReplySchema = (): ReplySchema =>
  (diagnosis ??= { name: 'diagnosis', schema: toJsonSchema(DiagnosisSchema) });
