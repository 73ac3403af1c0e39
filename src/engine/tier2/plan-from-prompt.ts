import { basename } from 'node:path';
import { createAgents, loadAgentConfig, summarizeRepository, totalUsage } from '../../agents/index.js';
import type { AgentExchange, AgentUsage, Agents, ProviderId, Requirement } from '../../agents/index.js';
import { AutomatosError } from '../../core/index.js';
import { candidateToManifest, detectRepository, directoryView } from '../../detect/index.js';
import type { DetectionResult } from '../../detect/index.js';
import { AiModuleSchema } from '../../manifest/index.js';
import type { AiModule } from '../../manifest/index.js';

/** The longest prompt accepted: a task description, not a document. */
export const MAX_PROMPT_CHARS = 20_000;

/** What a planner made of a task prompt, beside the manifest it wrote. */
export interface PromptPlan {
  prompt: string;
  /** Every wish read from the prompt, met (how) or unmet (why). */
  requirements: Requirement[];
  notes: string[];
  provider: ProviderId;
  model: string | null;
  /** Requests to an LLM and its answers, redacted; none for `rules`. */
  exchanges: AgentExchange[];
  usage: AgentUsage;
}

export interface PromptPlanInput {
  /** The checked-out source tree (read through a RepoView: never `.env`, keys or other secrets). */
  dir: string;
  /** The repository's name as the user knows it (the directory or the URL's last segment). */
  name: string;
  detection: DetectionResult;
  prompt: string;
  agents: Agents;
  signal?: AbortSignal;
}

/** A prompt is trimmed; an empty or oversized one is refused before any planner sees it. */
export function checkPrompt(prompt: string): string {
  const text = prompt.trim();
  if (text === '') {
    throw new AutomatosError('AUT_USAGE', '--prompt is empty: describe what to deploy and how');
  }
  if (text.length > MAX_PROMPT_CHARS) {
    throw new AutomatosError(
      'AUT_USAGE',
      `--prompt is ${text.length} characters; keep it under ${MAX_PROMPT_CHARS}`,
      { details: { length: text.length, max: MAX_PROMPT_CHARS } },
    );
  }
  return text;
}

/**
 * Tier 2 from a prompt: the repository summarized for the planner, detection's own manifest as a
 * draft when a stack was found (null otherwise: the planner may still write one from the prompt),
 * the configured planner asked, and what it returns validated again with the manifest's schema —
 * a planner's output is a proposal, reviewed by the policy before any of it runs.
 */
export async function planFromPrompt(
  input: PromptPlanInput,
): Promise<{ module: AiModule; prompted: PromptPlan }> {
  const prompt = checkPrompt(input.prompt);
  const view = directoryView(input.dir);
  const draft =
    input.detection.chosen === null
      ? null
      : candidateToManifest(input.detection.chosen, { dirName: input.name, view });
  const summary = summarizeRepository(view, input.detection, input.name);
  const { planner } = input.agents;
  const { output, exchanges } = await planner.plan({ prompt, summary, draft }, input.signal);
  const checked = AiModuleSchema.safeParse(output.module);
  if (!checked.success) {
    throw new AutomatosError(
      'AUT_LLM_INVALID_OUTPUT',
      `the ${planner.provider} planner wrote a manifest that does not validate: ` +
        checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      { details: { provider: planner.provider } },
    );
  }
  const described = input.agents.describe();
  return {
    module: checked.data,
    prompted: {
      prompt,
      requirements: output.requirements,
      notes: output.notes,
      provider: planner.provider,
      model: exchanges.find((e) => e.model !== null)?.model ?? described.model,
      exchanges,
      usage: totalUsage(exchanges),
    },
  };
}

/** The name a repository goes by: a local directory's, or a git URL's last path segment. */
export const repositoryName = (source: { kind: string; spec: string; dir: string }): string =>
  source.kind === 'local' ? basename(source.dir) : basename(source.spec.replace(/\.git\/?$/, '')) || 'repo';

/**
 * A directory planned from a prompt, whatever its tier (`automatos init --prompt --force` may
 * replace a manifest): detection, then the configured planner (AUTOMATOS_LLM_* or the data dir's
 * config.yaml) unless `agents` is given.
 */
export async function planDirectoryFromPrompt(
  dir: string,
  prompt: string,
  options: { dataDir: string; env: NodeJS.ProcessEnv; agents?: Agents; signal?: AbortSignal },
): Promise<{ module: AiModule; prompted: PromptPlan; detection: DetectionResult }> {
  const text = checkPrompt(prompt);
  const detection = await detectRepository(directoryView(dir));
  const agents = options.agents ?? createAgents(loadAgentConfig(options.env, options.dataDir));
  const planned = await planFromPrompt({
    dir,
    name: basename(dir),
    detection,
    prompt: text,
    agents,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { ...planned, detection };
}
