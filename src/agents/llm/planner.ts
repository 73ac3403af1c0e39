import { REDACTED, type Redactor } from '../../security/index.js';
import type { Planner, PlannerInput } from '../agent.js';
import { PlannerOutputSchema, type PlannerOutput } from '../planner-output.js';
import type { ChatModel } from './chat-model.js';
import { plannerSystemPrompt, plannerUserPrompt } from './prompts.js';
import { plannerReplySchema } from './schemas.js';
import { askStructured } from './structured.js';

/**
 * A planner backed by a chat model. What it returns is the model's proposal as validated data: no
 * command in it has been run or judged here; the reviewer checks every one with the policy engine.
 */
export function createLlmPlanner(model: ChatModel, redact: Redactor): Planner {
  const replySchema = plannerReplySchema();
  const system = plannerSystemPrompt(replySchema);
  return {
    provider: model.provider,
    async plan(input, signal) {
      const { value, exchanges } = await askStructured(model, {
        agent: 'planner',
        what: 'plan',
        system,
        user: plannerUserPrompt(input),
        schema: PlannerOutputSchema,
        replySchema,
        check: (output) => missingRequirements(output, input),
        redact,
        ...(signal === undefined ? {} : { signal }),
      });
      return { output: restoreHiddenValues(value, input), exchanges };
    },
  };
}

function missingRequirements(output: PlannerOutput, input: PlannerInput): string[] {
  return input.prompt.trim() !== '' && output.requirements.length === 0
    ? ['requirements: is empty; list every wish of the task prompt, each met (how) or unmet (why)']
    : [];
}

/**
 * Environment values the redactor hid from the model come back as the placeholder. The draft's own
 * value is put back where there is one; otherwise the variable becomes a secret the operator sets,
 * rather than an app started with a literal "[REDACTED]".
 */
function restoreHiddenValues(output: PlannerOutput, input: PlannerInput): PlannerOutput {
  const env = output.module.environment_variables;
  const hidden = Object.keys(env).filter((name) => env[name]?.includes(REDACTED) === true);
  if (hidden.length === 0) return output;
  const known = input.draft?.environment_variables ?? {};
  const unknown = hidden.filter((name) => known[name] === undefined);
  const environment = Object.fromEntries(
    Object.entries(env)
      .filter(([name]) => !unknown.includes(name))
      .map(([name, value]) => [name, hidden.includes(name) ? String(known[name]) : value]),
  );
  const secrets = [...new Set([...output.module.secrets, ...unknown])];
  const notes = [
    ...output.notes,
    ...unknown.map(
      (name) =>
        `${name} looked secret and was hidden from the planner; set it with: automatos secrets set ${output.module.name} ${name}`,
    ),
  ];
  return {
    ...output,
    module: { ...output.module, environment_variables: environment, secrets },
    notes: notes.slice(0, 20),
  };
}
