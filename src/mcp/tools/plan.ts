import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  factsFromReport,
  LOCAL_TARGET,
  loadPolicyConfig,
  planDeployment,
  probeTarget,
} from '../../engine/index.js';
import type { PlannedDeployment } from '../../engine/index.js';
import type { GuardedTarget } from '../../exec/index.js';
import { planStepsToJson, renderCommand } from '../../plan/index.js';
import { createPolicyEngine } from '../../policy/index.js';
import type { PolicyEngine } from '../../policy/index.js';
import type { CallContext, McpDeps } from '../context.js';
import { ok } from '../result.js';
import { gitRef, port, source, targetName } from '../schemas.js';
import { defineTool } from '../tool.js';

interface Verdict {
  decision: 'allow' | 'deny';
  rule: string;
  reason: string;
  risk: number;
}

/**
 * The policy the guard will apply when the plan runs, judged now: the same rules (the operator's
 * policy file included) and the target's profile, roots and home. Nothing is audited, because
 * nothing runs; the guard still checks every command again when it does.
 */
async function verdicts(
  policy: PolicyEngine,
  planned: PlannedDeployment,
  target: GuardedTarget,
): Promise<Verdict[][]> {
  const { plan } = planned;
  return Promise.all(
    plan.steps.map((step) =>
      Promise.all(
        step.commands.map(async (command) => {
          const decision = await policy.check(renderCommand(command.command), {
            cwd: command.cwd ?? plan.layout.appDir,
            home: target.home,
            profile: target.profile,
            systemdUnits: plan.runtime === 'systemd',
            ...(target.writableRoots === undefined ? {} : { writableRoots: target.writableRoots }),
          });
          return {
            decision: decision.decision,
            rule: decision.rule,
            reason: decision.reason,
            risk: decision.risk,
          };
        }),
      ),
    ),
  );
}

async function planFor(
  call: CallContext,
  args: { source: string; target: string; ref?: string | undefined; port?: number | undefined },
): Promise<PlannedDeployment> {
  const request = {
    source: args.source,
    dataDir: call.orch.dataDir,
    cwd: call.deps.cwd,
    ...(args.ref === undefined ? {} : { ref: args.ref }),
    ...(args.port === undefined ? {} : { port: args.port }),
  };
  if (args.target === LOCAL_TARGET) return planDeployment(request);
  // An SSH target's facts come from a read-only probe, through the guard and into the audit log.
  return planDeployment(request, factsFromReport(await probeTarget(call.orch, args.target, call.actor)));
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
      'or the one derived from stack detection (tier 2), each step with the exact commands the target will ' +
      'receive, and the command policy verdict of every command. For an SSH target the host is probed ' +
      'read-only for its facts.',
    input: {
      source,
      target: targetName.default(LOCAL_TARGET),
      ref: gitRef.optional(),
      port: port.optional(),
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
    run: async (args, call) => {
      await call.require('plan', [args.target]);
      call.deps.checkSource?.(args.source, 'source');
      const planned = await planFor(call, args);
      const target = await call.orch.target(args.target);
      const judged = await verdicts(await policyEngine(), planned, target);
      const steps = planStepsToJson(planned.plan).map((step, i) => ({
        ...step,
        commands: step.commands.map((command, j) => ({ ...command, policy: judged[i]?.[j] })),
      }));
      const denied = steps.flatMap((step) =>
        step.commands
          .filter((c) => c.policy?.decision === 'deny')
          .map((c) => ({
            step: step.name,
            command: c.command,
            rule: c.policy?.rule,
            reason: c.policy?.reason,
          })),
      );
      const { module, plan } = planned;
      const text = [
        `${module.name} ${module.version} (tier ${planned.tier}) on ${plan.target.name}: ` +
          `${steps.length} steps, ${steps.reduce((n, s) => n + s.commands.length, 0)} commands, ` +
          `runtime ${plan.runtime}, port ${module.port}, release ${plan.releaseId}`,
        ...steps.map(
          (s) => `  ${s.name}: ${s.commands.length} command(s)${s.skipped === undefined ? '' : ' (skipped)'}`,
        ),
        denied.length === 0
          ? 'policy: every command is allowed'
          : `policy: ${denied.length} command(s) would be denied: ${denied.map((d) => `${d.step} (${d.rule})`).join(', ')}`,
        'nothing was run',
      ].join('\n');
      return ok(text, {
        tier: planned.tier,
        source: planned.source,
        manifest_file: planned.manifestFile,
        target: plan.target,
        runtime: plan.runtime,
        release_id: plan.releaseId,
        layout: plan.layout,
        module,
        steps,
        on_failure: plan.onFailure,
        warnings: planned.warnings,
        policy: { allowed: denied.length === 0, denied },
        detection: {
          tier: planned.detection.tier,
          chosen:
            planned.detection.chosen === null
              ? null
              : {
                  language: planned.detection.chosen.language,
                  framework: planned.detection.chosen.framework,
                  confidence: planned.detection.chosen.confidence,
                },
        },
      });
    },
  });
}
