import type { Intent } from '../intent/index.js';
import { unmet, type Handler } from './context.js';

type BehaviourIntent = Extract<Intent, { kind: 'behaviour' | 'unknown' }>;

export const handleBehaviour: Handler<BehaviourIntent> = (intent) =>
  intent.kind === 'behaviour'
    ? unmet(
        intent.text,
        "what the app does, not how it is deployed: Automatos runs the repository's code as written and neither adds nor checks this",
      )
    : unmet(
        intent.text,
        'not understood by the rules planner; check it yourself, or configure an LLM planner (AUTOMATOS_LLM_PROVIDER)',
      );
