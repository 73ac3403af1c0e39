import { AutomatosError } from '../core/index.js';
import { SUPPORTED_DEPLOYMENT_TARGETS } from '../manifest/index.js';
import { appLayout } from './layout.js';
import { selectRuntime } from './runtime/select.js';
import { buildStep } from './steps/build.js';
import { prepareStep } from './steps/prepare.js';
import { releaseStep } from './steps/release.js';
import { testStep } from './steps/test.js';
import { uploadStep } from './steps/upload.js';
import { verifyStep } from './steps/verify.js';
import type { DeploymentPlan, PlanInput } from './types.js';

/** Manifest + target facts -> the ordered steps and exact commands. Pure: no I/O, no clock. */
export function buildPlan(input: PlanInput): DeploymentPlan {
  const { module, target, releaseId } = input;
  if (!SUPPORTED_DEPLOYMENT_TARGETS.includes(module.deployment_target)) {
    throw new AutomatosError(
      'AUT_PLAN_UNSUPPORTED',
      `deployment_target ${module.deployment_target} is not supported yet; supported: ` +
        `${SUPPORTED_DEPLOYMENT_TARGETS.join(', ')}. Use deployment_target: local to run it as a ` +
        'supervised process on the target.',
      { details: { deployment_target: module.deployment_target } },
    );
  }
  const runtime = selectRuntime(module, target);
  const layout = appLayout(target.root, module.name, releaseId);
  return {
    app: module.name,
    version: module.version,
    releaseId,
    target,
    runtime,
    layout,
    steps: [
      uploadStep(layout, input.sourceDir),
      prepareStep(module, layout, target),
      buildStep(module, layout, runtime, releaseId, target),
      testStep(module, layout, runtime, releaseId, target),
      releaseStep(module, layout, runtime, target, releaseId),
      verifyStep(module, layout, target),
    ],
    onFailure: module.rollback_enabled
      ? 'switch current back to the previous release and restart it'
      : 'leave the new release in place and fail the deployment (rollback_enabled is false)',
  };
}
