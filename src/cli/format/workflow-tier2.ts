import { RequirementSchema } from '../../agents/index.js';
import type { ReviewView } from '../../engine/index.js';
import type { FixRecord, Workflow } from '../../store/index.js';
import { requirementLines, reviewLines } from './review.js';

function fixLine(f: FixRecord): string {
  const fix = f.fix === null ? 'no fix' : JSON.stringify(f.fix);
  const fate = f.applied ? 'applied' : f.verdict === 'denied' ? 'refused by the review' : 'not applied';
  return `    ${f.attempt}. ${f.step} on ${f.target}: ${fix} — ${fate}${f.verdict === null ? '' : ` (review: ${f.verdict})`}\n       ${f.reason}`;
}

/**
 * The tier-2 record of a workflow for `workflows show`: the prompt, who planned it and the tokens
 * spent, the requirements, the review and any approval, and the diagnoser's fixes (or suggestions).
 */
export function tier2Lines(w: Workflow, fixes: readonly FixRecord[]): string[] {
  const lines: string[] = [];
  if (w.taskPrompt !== null) lines.push(`  prompt     ${w.taskPrompt.replace(/\s+/g, ' ')}`);
  if (w.agent !== null) {
    lines.push(`  planner    ${w.agent.provider}${w.agent.model === null ? '' : ` (${w.agent.model})`}`);
  }
  if (w.usage.inputTokens + w.usage.outputTokens > 0) {
    lines.push(`  tokens     ${w.usage.inputTokens} in, ${w.usage.outputTokens} out`);
  }
  const requirements = RequirementSchema.array().safeParse(w.requirements);
  if (w.requirements !== null && requirements.success) {
    lines.push(...requirementLines(requirements.data).map((line) => `  ${line}`));
  }
  if (w.review !== null) lines.push(...reviewLines(w.review as ReviewView).map((line) => `  ${line}`));
  if (w.approval !== null) {
    const { decision, by, at, reason } = w.approval;
    lines.push(`  ${decision.padEnd(10)} by ${by} at ${at}${reason === null ? '' : `: ${reason}`}`);
  }
  if (fixes.length > 0) {
    lines.push(w.tier === 1 ? '  suggested fixes (tier 1: the manifest is not changed)' : '  fixes');
    lines.push(...fixes.map(fixLine));
  }
  return lines;
}
