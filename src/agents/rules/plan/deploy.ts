import type { Intent } from '../intent/index.js';
import { met, unmet, type Handler, type PlanContext } from './context.js';

type DeployIntent = Extract<Intent, { kind: 'deploy' }>;

/** Monitoring probes the health check; an app without one (a job, a script) has nothing to probe. */
function probed(ctx: PlanContext): string | null {
  const check = ctx.module.health_check ?? {};
  return check.enabled === false ? null : (check.endpoint ?? '/health');
}

const NO_PROBE =
  'the app has no health check (it opens no port), so there is nothing for automatos monitor to probe';

export const handleDeploy: Handler<DeployIntent> = (intent, ctx) => {
  const { module } = ctx;
  const off = intent.negated;
  switch (intent.wish) {
    case 'rollback':
      module.rollback_enabled = !off;
      return met(
        intent.text,
        off
          ? 'rollback_enabled: false'
          : 'rollback_enabled: true (a release that fails its health check is replaced by the previous one)',
      );
    case 'monitoring':
    case 'alerts': {
      if (off) return met(intent.text, 'nothing runs unless `automatos monitor` is started');
      const endpoint = probed(ctx);
      if (endpoint === null) return unmet(intent.text, NO_PROBE);
      if (intent.wish === 'alerts')
        module.monitoring = { ...(module.monitoring ?? {}), alerts_enabled: true };
      return met(
        intent.text,
        intent.wish === 'alerts'
          ? `monitoring.alerts_enabled: true; automatos monitor checks GET ${endpoint} and raises an alert when the app turns unhealthy or recovers`
          : `health_check GET ${endpoint}; automatos monitor probes it periodically and records every result`,
      );
    }
    case 'restart':
      return off
        ? unmet(intent.text, 'Automatos always supervises the app and restarts it when it exits')
        : met(
            intent.text,
            'the runtime restarts the app when it exits (process supervisor with backoff, or systemd)',
          );
    case 'docker': {
      if (off) {
        module.deployment_target = 'local';
        return met(intent.text, 'deployment_target: local (a supervised process, no container)');
      }
      if (!ctx.summary.files.includes('Dockerfile')) {
        return unmet(
          intent.text,
          'the repository has no Dockerfile to build an image from; deploying it as a supervised process instead',
        );
      }
      module.deployment_target = 'docker';
      return met(
        intent.text,
        "deployment_target: docker (an image built from the repository's Dockerfile, run as a container; the target needs a Docker engine)",
      );
    }
    case 'systemd':
      module.runtime = off ? 'process' : 'systemd';
      return met(
        intent.text,
        off
          ? 'runtime: process'
          : `runtime: systemd (unit automatos-${module.name}.service; needs root on a systemd host)`,
      );
  }
};
