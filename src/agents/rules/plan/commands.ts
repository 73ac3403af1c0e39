import type { Intent } from '../intent/index.js';
import { met, type Handler } from './context.js';

type CommandIntent = Extract<Intent, { kind: 'command' }>;

/** A command quoted in the prompt is used as written; the policy reviews it like any other. */
export const handleCommand: Handler<CommandIntent> = (intent, ctx) => {
  if (intent.negated) {
    if (intent.field === 'test_command') ctx.module.test_command = null;
    return met(intent.text, `${intent.field} is not \`${intent.command}\``);
  }
  ctx.module[intent.field] = intent.command;
  return met(intent.text, `${intent.field}: ${intent.command}`);
};
