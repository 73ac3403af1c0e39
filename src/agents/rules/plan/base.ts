import { AutomatosError } from '../../../core/index.js';
import type { Language } from '../../../detect/index.js';
import { toDnsLabel } from '../../../detect/index.js';
import type { AiModuleInput, ModuleType } from '../../../manifest/index.js';
import type { PlannerInput } from '../../agent.js';
import type { CandidateSummary } from '../../repo-summary.js';
import type { Intent, StackHint } from '../intent/index.js';
import { stackName } from './context.js';

/** A build step that checks something real when a stack has nothing to install (as detection does). */
const FALLBACK_BUILD: Partial<Record<Language, string>> = {
  python: 'python3 -m compileall -q .',
  static: 'test -f index.html',
};

interface Base {
  module: AiModuleInput;
  candidate: CandidateSummary | null;
  /** Set when the prompt's stack words made us take another candidate than detection's choice. */
  switchedFrom: CandidateSummary | null;
}

const startable = (c: CandidateSummary): boolean => c.start !== null && c.confidence > 0;

/** The candidate detection chose: the one whose start command the draft runs. */
function detected(input: PlannerInput): CandidateSummary | null {
  const { candidates } = input.summary;
  const start = input.draft?.start_command;
  return candidates.find((c) => c.start !== null && c.start === start) ?? candidates.find(startable) ?? null;
}

function matches(c: CandidateSummary, hint: StackHint): boolean {
  if (hint.framework !== undefined) return c.framework === hint.framework;
  return hint.language !== undefined && c.language === hint.language;
}

function moduleFromCandidate(c: CandidateSummary, input: PlannerInput): AiModuleInput {
  const build = [c.install, c.build].filter((s): s is string => Boolean(s)).join(' && ');
  const module: AiModuleInput = {
    name: input.draft?.name ?? toDnsLabel(input.summary.name),
    version: input.draft?.version ?? '0.1.0',
    description: `A ${stackName(c)} ${c.moduleType.replace('_', ' ')} deployed by Automatos (stack chosen from the task prompt).`,
    module_type: c.moduleType as ModuleType,
    build_command: build || FALLBACK_BUILD[c.language] || 'true',
    start_command: c.start ?? '',
    test_command: c.test,
    system_dependencies: [...c.systemDependencies],
    environment_variables: {},
  };
  if (c.port !== null) module.port = c.port;
  return module;
}

/**
 * Detection decides, unless the prompt names a stack that another startable candidate has: the user
 * knows their repository, so "deploy the Python app" in a repo where Node won on evidence takes the
 * Python candidate (and says so in a note). A stack no candidate has does not override detection;
 * its requirement is reported unmet instead.
 */
function chooseCandidate(input: PlannerInput, intents: readonly Intent[]): Base {
  const first = detected(input);
  const hints = intents.flatMap((i) => (i.kind === 'stack' && !i.negated ? i.hints : []));
  // Frameworks are more specific than languages: "Python Flask" looks for Flask first, then Python.
  const wanted = [
    ...hints.filter((h) => h.framework !== undefined),
    ...hints.filter((h) => h.framework === undefined && h.language !== undefined),
  ];
  for (const hint of first ? wanted : []) {
    if (first === null || matches(first, hint)) break;
    const other = input.summary.candidates.find((c) => startable(c) && matches(c, hint));
    if (other) return { module: moduleFromCandidate(other, input), candidate: other, switchedFrom: first };
  }
  if (input.draft) return { module: structuredClone(input.draft), candidate: first, switchedFrom: null };
  return { module: scratchModule(input), candidate: null, switchedFrom: null };
}

/** No stack: only a start command given in the prompt makes a module. */
function scratchModule(input: PlannerInput): AiModuleInput {
  return {
    name: toDnsLabel(input.summary.name),
    version: '0.1.0',
    description: 'An application deployed by Automatos with the commands given in its task prompt.',
    module_type: 'web_app',
    build_command: 'true',
    start_command: '',
  };
}

export function chooseBase(input: PlannerInput, intents: readonly Intent[]): Base {
  const base = chooseCandidate(input, intents);
  const start = intents.find((i) => i.kind === 'command' && i.field === 'start_command' && !i.negated);
  if (base.module.start_command === '' && !start) {
    throw new AutomatosError(
      'AUT_DETECT_NONE',
      `Could not plan ${input.summary.name}: no known stack was found in the repository and the prompt does not say how to start it. ` +
        'Add an ai-module.yaml (`automatos init`), a Procfile with a "web:" line, or name the start command in the prompt, e.g. start it with `python3 serve.py`.',
      { details: { requirements: intents.map((i) => i.text) } },
    );
  }
  return base;
}
