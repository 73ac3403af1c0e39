import type { AiModule, AiModuleInput } from '../manifest/index.js';
import type { Diagnosis } from './diagnosis.js';
import type { PlannerOutput } from './planner-output.js';
import type { RepoSummary } from './repo-summary.js';

export const PROVIDERS = ['rules', 'openai', 'anthropic'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * One request to a provider and its answer, stored with the workflow. Both texts are redacted
 * before they are kept; `rules` makes no exchanges.
 */
export interface AgentExchange {
  agent: 'planner' | 'diagnoser';
  provider: ProviderId;
  model: string | null;
  request: string;
  response: string;
  usage: AgentUsage | null;
  ok: boolean;
  error: string | null;
  at: string;
}

export interface PlannerInput {
  prompt: string;
  summary: RepoSummary;
  /** What detection alone would deploy, when it found a stack; a planner may start from it. */
  draft: AiModuleInput | null;
}

export interface PlannerResult {
  output: PlannerOutput;
  exchanges: AgentExchange[];
}

export interface Planner {
  readonly provider: ProviderId;
  plan(input: PlannerInput, signal?: AbortSignal): Promise<PlannerResult>;
}

export interface DiagnosisInput {
  module: AiModule;
  /** The step that failed, e.g. `build`, `verify`. */
  step: string;
  command: string | null;
  exitCode: number | null;
  /** The last lines the step wrote, redacted. */
  logTail: string;
  /** 1 or 2: a workflow gets at most two fixes. */
  attempt: number;
}

export interface DiagnosisResult {
  diagnosis: Diagnosis;
  exchanges: AgentExchange[];
}

export interface Diagnoser {
  readonly provider: ProviderId;
  diagnose(input: DiagnosisInput, signal?: AbortSignal): Promise<DiagnosisResult>;
}
