import type { planView } from '../../engine/index.js';
import type { HealthProbe, PlannedCommandJson, StdinSource } from '../../plan/index.js';
import type { CommandPolicyView } from '../../engine/index.js';
import { policyLine, requirementLines, reviewLines } from './review.js';

/** The plan as `--json` prints it and the API returns it: the one input, embedded or remote. */
type PlanJson = ReturnType<typeof planView>;

function stdinLine(stdin: StdinSource): string {
  switch (stdin.kind) {
    case 'tar':
      return `stdin: tar stream of ${stdin.from} (excluding ${stdin.exclude.join(', ')})`;
    case 'env_file': {
      const secrets =
        stdin.secrets.length === 0 ? 'none' : `${stdin.secrets.join(', ')} (values never shown)`;
      return `stdin: env file with ${stdin.variables.join(', ')}; secrets: ${secrets}`;
    }
    case 'text': {
      // Short files (a unit file) are shown whole; long ones (the supervisor) by size: --json has them.
      const lines = stdin.content.trimEnd().split('\n');
      if (lines.length <= 25) return `stdin:\n${stdin.content.replace(/^/gm, '         | ').trimEnd()}`;
      return `stdin: ${lines[0] ?? ''} … (${lines.length} lines, ${Buffer.byteLength(stdin.content)} bytes; --json shows it)`;
    }
  }
}

function commandLines(planned: PlannedCommandJson & { policy?: CommandPolicyView }): string[] {
  const lines = [`   $ ${planned.command}`];
  const notes = [planned.purpose];
  if (planned.cwd !== undefined) notes.push(`in ${planned.cwd}`);
  if (planned.timeout_sec !== undefined) notes.push(`timeout ${planned.timeout_sec}s`);
  if (planned.sandbox !== undefined) notes.push(`sandbox: ${planned.sandbox}`);
  lines.push(`       # ${notes.join(' · ')}`);
  if (planned.stdin !== undefined) lines.push(`       ${stdinLine(planned.stdin)}`);
  if (planned.policy !== undefined) lines.push(policyLine(planned.policy));
  return lines;
}

function probeLine(p: HealthProbe): string {
  const what =
    p.type === 'http'
      ? `GET http://${p.host}:${p.port}${p.path ?? '/'} expecting ${p.expectStatus ?? 200}`
      : p.type === 'tcp'
        ? `TCP connect to ${p.host}:${p.port}`
        : `command exits 0`;
  const via = p.via === 'ssh-forward' ? 'through the SSH connection' : 'on this machine';
  return (
    `   probe: ${what} ${via} — up to ${p.retries + 1} attempts, ${p.intervalSec}s apart, ` +
    `timeout ${p.timeoutSec}s, start period ${p.startPeriodSec}s`
  );
}

export function formatPlan(plan: PlanJson): string {
  const { module, source } = plan;
  // A server of an older version sends no prompt, planner, requirements or review.
  const planner = plan.planner ?? null;
  const origin =
    plan.tier === 1
      ? `tier 1: ${plan.manifest_file ?? 'ai-module.yaml'}`
      : planner === null
        ? 'tier 2: stack detection'
        : `tier 2: planned from the prompt by ${planner.provider}${planner.model === null ? '' : ` (${planner.model})`}`;
  const commit = source.commit === null ? 'not a git checkout' : `commit ${source.commit.slice(0, 12)}`;
  const lines = [
    `Plan: ${module.name} ${module.version} (${module.module_type}) → target ${plan.target.name}   [${origin}]`,
    `  source    ${source.spec} (${commit}${source.ref === null ? '' : `, ref ${source.ref}`})`,
    `  runtime   ${plan.runtime}`,
    `  release   ${plan.release_id}`,
    `  app dir   ${plan.layout.appDir}`,
    `  port      ${module.port}`,
    ...(plan.prompt ? [`  prompt    ${plan.prompt.replace(/\s+/g, ' ')}`] : []),
    ...(planner === null || planner.input_tokens + planner.output_tokens === 0
      ? []
      : [`  tokens    ${planner.input_tokens} in, ${planner.output_tokens} out`]),
    '',
  ];
  const requirements = plan.requirements ?? null;
  if (requirements !== null) lines.push(...requirementLines(requirements), '');
  for (const note of planner?.notes ?? []) lines.push(`note: ${note}`);
  if ((planner?.notes.length ?? 0) > 0) lines.push('');
  plan.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${step.name} — ${step.description}`);
    if (step.skipped !== undefined) lines.push(`   skipped: ${step.skipped}`);
    for (const planned of step.commands) lines.push(...commandLines(planned));
    if (step.probe !== undefined) lines.push(probeLine(step.probe));
    lines.push('');
  });
  lines.push(`if verify fails: ${plan.on_failure}`);
  for (const warning of plan.warnings) lines.push(warning);
  if (plan.review !== undefined) lines.push(...reviewLines(plan.review));
  lines.push(
    plan.target.reach === 'local'
      ? 'Nothing was run: this is a plan. No server was contacted.'
      : `Nothing of this plan was run. ${plan.target.name} was only probed for its facts (read-only, audited).`,
  );
  return `${lines.join('\n')}\n`;
}
