import type { PlannedDeployment } from '../../engine/index.js';
import { renderCommand } from '../../plan/index.js';
import type { HealthProbe, PlannedCommand, StdinSource } from '../../plan/index.js';

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

function commandLines(planned: PlannedCommand): string[] {
  const lines = [`   $ ${renderCommand(planned.command)}`];
  const notes = [planned.purpose];
  if (planned.cwd !== undefined) notes.push(`in ${planned.cwd}`);
  if (planned.timeoutSec !== undefined) notes.push(`timeout ${planned.timeoutSec}s`);
  lines.push(`       # ${notes.join(' · ')}`);
  if (planned.stdin !== undefined) lines.push(`       ${stdinLine(planned.stdin)}`);
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

export function formatPlan(result: PlannedDeployment): string {
  const { plan, module, source } = result;
  const origin =
    result.tier === 1 ? `tier 1: ${result.manifestFile ?? 'ai-module.yaml'}` : 'tier 2: stack detection';
  const commit = source.commit === null ? 'not a git checkout' : `commit ${source.commit.slice(0, 12)}`;
  const lines = [
    `Plan: ${module.name} ${module.version} (${module.module_type}) → target ${plan.target.name}   [${origin}]`,
    `  source    ${source.spec} (${commit}${source.ref === null ? '' : `, ref ${source.ref}`})`,
    `  runtime   ${plan.runtime}`,
    `  release   ${plan.releaseId}`,
    `  app dir   ${plan.layout.appDir}`,
    `  port      ${module.port}`,
    '',
  ];
  plan.steps.forEach((step, index) => {
    lines.push(`${index + 1}. ${step.name} — ${step.description}`);
    if (step.skipped !== undefined) lines.push(`   skipped: ${step.skipped}`);
    for (const planned of step.commands) lines.push(...commandLines(planned));
    if (step.probe !== undefined) lines.push(probeLine(step.probe));
    lines.push('');
  });
  lines.push(`if verify fails: ${plan.onFailure}`);
  for (const warning of result.warnings) lines.push(warning);
  lines.push(
    plan.target.reach === 'local'
      ? 'Nothing was run: this is a plan. No server was contacted.'
      : `Nothing of this plan was run. ${plan.target.name} was only probed for its facts (read-only, audited).`,
  );
  return `${lines.join('\n')}\n`;
}
