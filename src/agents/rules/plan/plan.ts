import { AutomatosError } from '../../../core/index.js';
import type { PlannerInput } from '../../agent.js';
import { PlannerOutputSchema, type PlannerOutput } from '../../planner-output.js';
import type { Requirement } from '../../requirement.js';
import { redactCredentials } from '../../../security/index.js';
import { parsePrompt, type Intent, type IntentKind } from '../intent/index.js';
import { handleAuth, handleFeature } from './auth.js';
import { chooseBase } from './base.js';
import { handleBehaviour } from './behaviour.js';
import { handleCommand } from './commands.js';
import { stackName, unmet, type PlanContext } from './context.js';
import { handleDeploy } from './deploy.js';
import { handleEnv } from './env.js';
import { handleHealth } from './health.js';
import { handleLogging } from './logging.js';
import { handlePlatform } from './platform.js';
import { handlePort } from './port.js';
import { handleStack } from './stack.js';
import { handleTests } from './tests.js';
import { handleWorkers } from './workers.js';

/**
 * Handlers run in this order whatever the prompt's order: commands before the port (which is
 * written into the start command) and workers (a flag on it), and the stack check last, so what it
 * reports is the start command that will run.
 */
const ORDER: readonly IntentKind[] = [
  'command',
  'port',
  'workers',
  'env',
  'tests',
  'health',
  'logging',
  'auth',
  'feature',
  'deploy',
  'platform',
  'stack',
  'behaviour',
  'unknown',
];

const MAX_REQUIREMENTS = 50;
const MAX_NOTES = 20;
const MAX_TEXT = 500;

function handle(intent: Intent, ctx: PlanContext): Requirement {
  switch (intent.kind) {
    case 'command':
      return handleCommand(intent, ctx);
    case 'port':
      return handlePort(intent, ctx);
    case 'workers':
      return handleWorkers(intent, ctx);
    case 'env':
      return handleEnv(intent, ctx);
    case 'tests':
      return handleTests(intent, ctx);
    case 'health':
      return handleHealth(intent, ctx);
    case 'logging':
      return handleLogging(intent, ctx);
    case 'auth':
      return handleAuth(intent, ctx);
    case 'feature':
      return handleFeature(intent, ctx);
    case 'deploy':
      return handleDeploy(intent, ctx);
    case 'platform':
      return handlePlatform(intent, ctx);
    case 'stack':
      return handleStack(intent, ctx);
    case 'behaviour':
    case 'unknown':
      return handleBehaviour(intent, ctx);
  }
}

/** Two ports in one prompt: the last one wins and the earlier ones say so. */
function superseded(intents: readonly Intent[]): Map<Intent, Requirement> {
  const ports = intents.filter((i) => i.kind === 'port' && !i.negated);
  const last = ports.at(-1);
  const out = new Map<Intent, Requirement>();
  for (const p of ports.slice(0, -1)) {
    if (last && p.kind === 'port' && last.kind === 'port' && p.port !== last.port) {
      out.set(
        p,
        unmet(p.text, `the prompt also asks for port ${last.port}, later; the last port named is used`),
      );
    }
  }
  return out;
}

const clip = (text: string): string => {
  const clean = redactCredentials(text);
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT - 1)}…` : clean;
};

function present(r: Requirement): Requirement {
  return r.status === 'met'
    ? { text: clip(r.text), status: 'met', how: clip(r.how) }
    : { text: clip(r.text), status: 'unmet', why: clip(r.why) };
}

/** Every wish is listed; past the cap the rest are named in one unmet entry rather than dropped. */
function capRequirements(requirements: Requirement[]): Requirement[] {
  if (requirements.length <= MAX_REQUIREMENTS) return requirements;
  const rest = requirements.slice(MAX_REQUIREMENTS - 1);
  return [
    ...requirements.slice(0, MAX_REQUIREMENTS - 1),
    unmet(
      rest.map((r) => r.text).join('; '),
      `the prompt has more wishes than a plan records (${MAX_REQUIREMENTS}); these ${rest.length} were not planned — shorten the prompt`,
    ),
  ];
}

/** Detection + prompt -> manifest + requirements, deterministically and offline. */
export function planFromPrompt(input: PlannerInput): PlannerOutput {
  const intents = parsePrompt(input.prompt);
  const base = chooseBase(input, intents);
  const ctx: PlanContext = { module: base.module, summary: input.summary, base: base.candidate, notes: [] };
  const results = superseded(intents);
  for (const kind of ORDER) {
    for (const intent of intents) {
      if (intent.kind === kind && !results.has(intent)) results.set(intent, handle(intent, ctx));
    }
  }
  const requirements = intents.flatMap((i) => results.get(i) ?? []);
  const c = base.candidate;
  const notes = [
    c
      ? `Planned offline by the rules provider from stack detection (${stackName(c)}, confidence ${c.confidence}) and the prompt.`
      : 'Planned offline by the rules provider from the commands in the prompt: no stack was detected.',
    ...(base.switchedFrom && c
      ? [
          `The prompt names ${stackName(c)}: using that candidate instead of detection's first choice, ${stackName(base.switchedFrom)}.`,
        ]
      : []),
    ...ctx.notes,
  ];
  const parsed = PlannerOutputSchema.safeParse({
    module: ctx.module,
    requirements: capRequirements(requirements).map(present),
    notes: notes.slice(0, MAX_NOTES).map(clip),
  });
  if (!parsed.success) {
    throw new AutomatosError(
      'AUT_INTERNAL',
      `The rules planner produced an invalid plan (a bug in Automatos): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      },
    );
  }
  return parsed.data;
}
