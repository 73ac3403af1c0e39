import { findingLine } from '../../engine/index.js';
import type { CommandPolicyView, ReviewFinding, ReviewView } from '../../engine/index.js';
import type { Requirement } from '../../agents/index.js';
import type { Workflow } from '../../store/index.js';

/** The requirements table: every wish of the prompt, met and how, or unmet and why. */
export function requirementLines(requirements: readonly Requirement[]): string[] {
  if (requirements.length === 0) return ['requirements: none read from the prompt'];
  const width = Math.min(40, Math.max(...requirements.map((r) => r.text.length)));
  const met = requirements.filter((r) => r.status === 'met').length;
  return [
    `requirements (${met} met, ${requirements.length - met} unmet):`,
    ...requirements.map(
      (r) =>
        `  ${r.status === 'met' ? 'met  ' : 'UNMET'}  ${r.text.padEnd(width)}  ${r.status === 'met' ? r.how : r.why}`,
    ),
  ];
}

/** A command's verdict on one line under it in the plan. */
export function policyLine(policy: CommandPolicyView): string {
  if (policy.decision === 'deny')
    return `       policy: DENY ${policy.rule} (risk ${policy.risk}): ${policy.reason}`;
  if (policy.risk > 0) return `       policy: allow, high risk ${policy.risk} — ${policy.reason}`;
  return `       policy: allow`;
}

const VERDICTS: Record<ReviewView['verdict'], string> = {
  allowed: 'a deploy would run it',
  approval_required: 'a deploy would wait for approval (`automatos workflows approve ID`)',
  denied: 'a deploy would be refused before anything runs',
};

/** The review's verdict and its findings. */
export function reviewLines(
  review: Pick<ReviewView, 'verdict' | 'findings'> & { commands?: number },
): string[] {
  const counted = review.commands === undefined ? '' : `${review.commands} commands, `;
  return [
    `review: ${review.verdict} (${counted}${VERDICTS[review.verdict]})`,
    ...review.findings.map((f) => `  ${findingLine(f as ReviewFinding)}`),
  ];
}

/** What a deploy that waits for approval prints: why it waits, and how to answer. */
export function parkedLines(
  workflow: Pick<Workflow, 'id'> & { review: { verdict: string; findings: unknown[] } | null },
): string {
  const lines = [
    `${workflow.id} is waiting for approval; nothing has run on any target.`,
    ...(workflow.review === null ? [] : reviewLines(workflow.review as ReviewView)),
    `  approve it:  automatos workflows approve ${workflow.id}`,
    `  reject it:   automatos workflows reject ${workflow.id} --reason "…"`,
  ];
  return `${lines.join('\n')}\n`;
}
