import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  LOCAL_TARGET,
  loadPolicyConfig,
  planDeployment,
  planView,
  targetFacts,
  reviewPlanned,
} from '../../engine/index.js';
import type { PlannedDeployment } from '../../engine/index.js';
import { createPolicyEngine } from '../../policy/index.js';
import type { PolicyEngine } from '../../policy/index.js';
import type { CallContext, McpDeps } from '../context.js';
import { ok } from '../result.js';
import { gitRef, port, source, targetName, taskPrompt } from '../schemas.js';
import { defineTool } from '../tool.js';

async function planFor(
  call: CallContext,
  args: {
    source: string;
    target: string;
    ref?: string | undefined;
    port?: number | undefined;
    prompt?: string | undefined;
  },
): Promise<PlannedDeployment> {
  const request = {
    source: args.source,
    dataDir: call.orch.dataDir,
    cwd: call.deps.cwd,
    ...(args.ref === undefined ? {} : { ref: args.ref }),
    ...(args.port === undefined ? {} : { port: args.port }),
    ...(args.prompt === undefined ? {} : { prompt: args.prompt, env: call.deps.env }),
  };
  if (args.target === LOCAL_TARGET) return planDeployment(request);
  // An SSH target's facts come from a read-only probe, through the guard and into the audit log.
  return planDeployment(request, await targetFacts(call.orch, args.target, call.actor));
}

export function registerPlanTool(server: McpServer, deps: McpDeps): void {
  // One policy engine per server, built on first use: the operator's policy file is read once.
  let policy: Promise<PolicyEngine> | undefined;
  const policyEngine = (): Promise<PolicyEngine> => {
    policy ??= loadPolicyConfig(deps.orch.dataDir, deps.env).then(createPolicyEngine);
    return policy;
  };

  defineTool(server, deps, {
    name: 'plan',
    title: 'Plan a deployment (dry run)',
    description:
      'Build the deployment plan for a directory or git URL without running anything: the manifest (tier 1) ' +
      'or the one a planner writes from a task prompt (tier 2, with every requirement of the prompt marked met ' +
      'or unmet), each step with the exact commands the target will receive, the command policy verdict of ' +
      'every command, and the review: whether the plan would run, wait for an operator’s approval, or be ' +
      'refused. For an SSH target the host is probed read-only for its facts.',
    input: {
      source,
      target: targetName.default(LOCAL_TARGET),
      ref: gitRef.optional(),
      port: port.optional(),
      prompt: taskPrompt.optional(),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
    run: async (args, call) => {
      await call.require('plan', [args.target]);
      call.deps.checkSource?.(args.source, 'source');
      const planned = await planFor(call, args);
      const target = await call.orch.target(args.target);
      const reviewed = await reviewPlanned(planned, { policy: await policyEngine(), target });
      const view = planView(planned, reviewed);
      const denied = reviewed.verdicts
        .filter((v) => v.decision === 'deny')
        .map((v) => ({ step: v.step, command: v.command, rule: v.rule, reason: v.reason }));
      const { module, plan } = planned;
      const unmet = (view.requirements ?? []).filter((r) => r.status === 'unmet');
      const text = [
        `${module.name} ${module.version} (tier ${planned.tier}) on ${plan.target.name}: ` +
          `${view.steps.length} steps, ${reviewed.verdicts.length} commands, ` +
          `runtime ${plan.runtime}, port ${module.port}, release ${plan.releaseId}`,
        ...view.steps.map(
          (s) => `  ${s.name}: ${s.commands.length} command(s)${s.skipped === undefined ? '' : ' (skipped)'}`,
        ),
        ...(view.requirements === null
          ? []
          : [
              `requirements: ${view.requirements.length - unmet.length} met, ${unmet.length} unmet` +
                unmet.map((r) => `\n  unmet: ${r.text} (${r.why})`).join(''),
            ]),
        denied.length === 0
          ? 'policy: every command is allowed'
          : `policy: ${denied.length} command(s) would be denied: ${denied.map((d) => `${d.step} (${d.rule})`).join(', ')}`,
        `review: ${reviewed.review.verdict}`,
        'nothing was run',
      ].join('\n');
      return ok(text, { ...view, policy: { allowed: denied.length === 0, denied } });
    },
  });
}
